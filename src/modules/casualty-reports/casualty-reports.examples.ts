// A record of the seed, as the API returns it (timestamps fixed). The OpenAPI document
// shows it as the example; tests/http/openapi.test.ts checks it still matches the seed.
export const CASUALTY_REPORT_EXAMPLE = {
  "id": "cas_un_afghan_civilians_since_october_9",
  "event": {
    "id": "evt_afghanistan_pakistan_border_conflict",
    "title": "Afghanistan–Pakistan border conflict"
  },
  "reported_by": {
    "id": "act_united_nations",
    "name": "United Nations"
  },
  "statement_id": "stm_un_reports_afghan_civilian_toll",
  "reported_on": "2025-11-07",
  "reported_on_precision": "range",
  "period_start": "2025-10-09",
  "period_end": "2025-11-07",
  "category": "civilians",
  "affected_actor": null,
  "affected_country": "AFG",
  "killed": {
    "min": 50,
    "max": 50
  },
  "injured": {
    "min": 447,
    "max": 447
  },
  "qualifier": null,
  "notes": "\"on the Afghan side of the conflict that started on October 9 this year\". The article does not give the date of the UN figure; period_end is the publication date as an upper bound. Overlaps the Afghan official's clash figure; not additive.",
  "created_at": "2025-11-07T12:00:00.000Z",
  "updated_at": "2025-11-07T12:00:00.000Z",
  "version": 1,
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "According to the United Nations, 50 civilians have been killed on the Afghan side of the conflict that started on October 9 this year, and 447 have been injured.",
      "start_offset": 3201,
      "end_offset": 3362
    }
  ]
};

/** A valid create body, built on the seed; tests POST it. */
export const NEW_CASUALTY_REPORT_EXAMPLE = {
  "event_id": "evt_afghanistan_pakistan_border_conflict",
  "reported_by_id": "act_united_nations",
  "period_start": "2025-10-09",
  "period_end": "2025-11-07",
  "category": "civilians",
  "affected_country": "AFG",
  "killed": {
    "min": 50,
    "max": 50
  },
  "injured": {
    "min": 447,
    "max": 447
  },
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "excerpt": "According to the United Nations, 50 civilians have been killed on the Afghan side of the conflict that started on October 9 this year, and 447 have been injured."
    }
  ]
};
