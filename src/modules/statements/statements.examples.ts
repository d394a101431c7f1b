// A record of the seed, as the API returns it (timestamps fixed). The OpenAPI document
// shows it as the example; tests/http/openapi.test.ts checks it still matches the seed.
export const STATEMENT_EXAMPLE = {
  "id": "stm_hakim_accuses_pakistan_of_instigating_shooting",
  "kind": "accusation",
  "summary": "Ali Mohammad Hakim, head of the Information and Culture Department in Spinghar, accused Pakistan of instigating the shooting incident.",
  "quote": null,
  "said_on": "2025-11-07",
  "said_on_precision": "range",
  "date_note": "Not dated in the article; possibly part of the Afghan accusations of \"the day before\" (2025-11-06), but the article does not link them. said_on is the latest possible day.",
  "speaker": {
    "id": "act_ali_mohammad_hakim",
    "name": "Ali Mohammad Hakim"
  },
  "on_behalf_of": {
    "id": "act_spinghar_information_culture_department",
    "name": "Information and Culture Department, Spinghar"
  },
  "attribution": "stated",
  "attribution_note": null,
  "targets": [
    {
      "id": "act_pakistan_government",
      "name": "Government of Pakistan"
    }
  ],
  "events": [
    {
      "id": "evt_spinghar_border_clash",
      "title": "Border clash in Spinghar district, Kandahar province"
    }
  ],
  "created_at": "2025-11-07T12:00:00.000Z",
  "updated_at": "2025-11-07T12:00:00.000Z",
  "version": 1,
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "The head of the Information and Culture Department in Spinghar, Ali Mohammad Hakim, accused Pakistan of instigating the shooting incident.",
      "start_offset": 1507,
      "end_offset": 1645
    }
  ]
};

/** A valid create body, built on the seed; tests POST it. */
export const NEW_STATEMENT_EXAMPLE = {
  "kind": "report",
  "summary": "The mediators are discussing Pakistan's demands point by point with the Taliban delegation.",
  "quote": "the mediators are discussing Pakistan's demands point by point with the Taliban delegation.",
  "said_on": "2025-11-07",
  "said_on_precision": "range",
  "attribution": "ambiguous",
  "attribution_note": "\"He said\": Andrabi or Mujahid.",
  "target_ids": [
    "act_taliban_government"
  ],
  "event_ids": [
    "evt_istanbul_talks"
  ],
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "excerpt": "\"the mediators are discussing Pakistan's demands point by point with the Taliban delegation.\""
    }
  ]
};
