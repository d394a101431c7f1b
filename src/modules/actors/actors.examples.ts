// A record of the seed, as the API returns it (timestamps fixed). The OpenAPI document
// shows it as the example; tests/http/openapi.test.ts checks it still matches the seed.
export const ACTOR_EXAMPLE = {
  "id": "act_attaullah_tarar",
  "name": "Attaullah Tarar",
  "kind": "person",
  "country": "PAK",
  "parent_id": "act_pakistan_ministry_of_information",
  "title": "Minister of Information",
  "aliases": [
    "Tarar"
  ],
  "notes": null,
  "created_at": "2025-11-07T12:00:00.000Z",
  "updated_at": "2025-11-07T12:00:00.000Z",
  "version": 1,
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
      "url": "https://www.toutiao.com/article/7570382530332770879/",
      "excerpt": "Minister of Information Attaullah Tarar",
      "start_offset": 475,
      "end_offset": 514
    }
  ]
};

/** A valid create body, built on the seed; tests POST it. */
export const NEW_ACTOR_EXAMPLE = {
  "name": "Mediators",
  "kind": "other",
  "notes": "The mediators Pakistan submitted its demands to.",
  "sources": [
    {
      "id": "src_toutiao_7570382530332770879",
      "excerpt": "Pakistan has submitted its demands to the mediators"
    }
  ]
};
