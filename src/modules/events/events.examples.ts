// A record of the seed, as the API returns it (timestamps fixed). The OpenAPI document
// shows it as the example; tests/http/openapi.test.ts checks it still matches the seed.
export const EVENT_EXAMPLE = {
  "id": "evt_spinghar_border_clash",
  "title": "Border clash in Spinghar district, Kandahar province",
  "event_type": "Battles",
  "sub_event_type": "Armed clash",
  "start_date": "2025-11-06",
  "end_date": "2025-11-06",
  "date_precision": "day",
  "date_note": "Inferred: \"the day before\" the Friday 2025-11-07 article. Strictly, the article dates the mutual accusations to the day before (\"as the day before, both sides accused each other of instigating border clashes\"); the clash is taken to be that same day.",
  "country": "AFG",
  "admin1": "Kandahar",
  "admin2": "Spinghar",
  "location": "Spinghar district",
  "latitude": null,
  "longitude": null,
  "geo_precision": "admin2",
  "description": "Pakistani and Afghan forces clashed along their common border while talks were under way in Istanbul; an Afghan official reported four Afghan civilians killed and five injured. Each side accused the other of instigating the shooting.",
  "notes": "Location from the photo caption (\"the Spinghar district of Kandahar province near the Afghanistan-Pakistan border\") and from the office of Ali Mohammad Hakim (Information and Culture Department in Spinghar), who spoke about the shooting; the article does not state the place in the clash's own sentence. Hakim says the Afghan army did not respond, so the Afghan side's part in the exchange is contested. Reviewer's note (not from the article): Spin Ghar is usually a range in Nangarhar, and Kandahar's border district is Spin Boldak; \"Spinghar district of Kandahar province\" may be a translation artefact. The article's names are kept; no coordinates are given.",
  "status": null,
  "parent_id": "evt_afghanistan_pakistan_border_conflict",
  "external_id": null,
  "created_at": "2025-11-07T12:00:00.000Z",
  "updated_at": "2025-11-07T12:00:00.000Z",
  "version": 1,
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "the Spinghar district of Kandahar province near the Afghanistan-Pakistan border",
      "start_offset": 68,
      "end_offset": 147
    },
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "as the day before, both sides accused each other of instigating border clashes",
      "start_offset": 329,
      "end_offset": 407
    },
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "the Pakistani and Afghan armies were still clashing along their common border",
      "start_offset": 653,
      "end_offset": 730
    },
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "accused Pakistan of instigating the shooting incident",
      "start_offset": 1591,
      "end_offset": 1644
    }
  ]
};

/** A valid create body, built on the seed; tests POST it. */
export const NEW_EVENT_EXAMPLE = {
  "title": "Clash between Pakistani and Afghan forces in the border area",
  "event_type": "Battles",
  "sub_event_type": "Armed clash",
  "start_date": "2025-10-09",
  "end_date": "2025-11-07",
  "date_precision": "range",
  "date_note": "The photo caption says only 'previously'.",
  "country": "AFG",
  "admin1": "Kandahar",
  "admin2": "Spinghar",
  "geo_precision": "admin2",
  "parent_id": "evt_afghanistan_pakistan_border_conflict",
  "participants": [
    {
      "actor_id": "act_pakistan_armed_forces",
      "role": "side_a"
    },
    {
      "actor_id": "act_afghan_armed_forces",
      "role": "side_b"
    }
  ],
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "excerpt": "Previously, there was a clash between Pakistani and Afghan forces in the border area"
    }
  ]
};
