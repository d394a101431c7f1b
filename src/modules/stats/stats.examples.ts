// Seed responses as the API returns them, shown in the OpenAPI document; tests/modules/stats.test.ts
// checks they still match the seed.

/** GET /v1/stats/events?interval=month&group_by=event_type&from=2025-10-01&to=2025-11-30 */
export const EVENT_STATS_QUERY = 'interval=month&group_by=event_type&from=2025-10-01&to=2025-11-30';
export const EVENT_STATS_EXAMPLE = {
  "interval": "month",
  "group_by": "event_type",
  "total": 6,
  "data": [
    {
      "bucket": "2025-10",
      "key": "Strategic developments",
      "label": null,
      "count": 2
    },
    {
      "bucket": "2025-10",
      "key": "Battles",
      "label": null,
      "count": 1
    },
    {
      "bucket": "2025-10",
      "key": "Explosions/Remote violence",
      "label": null,
      "count": 1
    },
    {
      "bucket": "2025-11",
      "key": "Battles",
      "label": null,
      "count": 1
    },
    {
      "bucket": "2025-11",
      "key": "Strategic developments",
      "label": null,
      "count": 1
    }
  ]
};

/** GET /v1/stats/casualties?group_by=category&category=civilians&to=2025-11-30 */
export const CASUALTY_STATS_QUERY = 'group_by=category&category=civilians&to=2025-11-30';
export const CASUALTY_STATS_EXAMPLE = {
  "group_by": "category",
  "groups": [
    {
      "key": "civilians",
      "label": null,
      "category": "civilians",
      "side": {
        "country": "AFG",
        "actor": null
      },
      "killed": {
        "low": 4,
        "high": 50
      },
      "injured": {
        "low": 5,
        "high": 447
      },
      "contested": true,
      "reporters": [
        {
          "id": "act_united_nations",
          "name": "United Nations"
        },
        {
          "id": "act_unnamed_afghan_official",
          "name": "Unnamed Afghan official"
        }
      ],
      "figures": [
        {
          "reported_by": {
            "id": "act_united_nations",
            "name": "United Nations"
          },
          "killed": {
            "min": 50,
            "max": 50
          },
          "injured": {
            "min": 447,
            "max": 447
          },
          "reports": 1
        },
        {
          "reported_by": {
            "id": "act_unnamed_afghan_official",
            "name": "Unnamed Afghan official"
          },
          "killed": {
            "min": 4,
            "max": 4
          },
          "injured": {
            "min": 5,
            "max": 5
          },
          "reports": 1
        }
      ]
    }
  ]
};
