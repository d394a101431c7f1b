// A record of the seed, as the API returns it (timestamps fixed). The OpenAPI document
// shows it as the example; tests/http/openapi.test.ts checks it still matches the seed.
export const SOURCE_EXAMPLE = {
  "id": "src_toutiao_7570382530332770879",
  "title": "Pakistan says Istanbul talks with Afghanistan have stalled as both sides trade blame over border clash",
  "publisher": "Toutiao",
  "url": "https://www.toutiao.com/article/7570382530332770879/",
  "original_url": "https://www.toutiao.com/article/7570382530332770879/",
  "language": "en",
  "published_on": "2025-11-07",
  "kind": "news_article",
  "credit": "Photo: Reuters; text cites a news agency",
  "notes": "English translation of a Chinese-language Toutiao article published Friday 2025-11-07. The article has no headline; the title is descriptive, written from its first news sentence. It cites only \"News Agency\" as its source; the photo caption credits Reuters.",
  "has_text": true,
  "created_at": "2025-11-07T12:00:00.000Z",
  "updated_at": "2025-11-07T12:00:00.000Z",
  "version": 1
};

/** A valid create body, built on the seed; tests POST it. */
export const NEW_SOURCE_EXAMPLE = {
  "title": "Pakistan says Istanbul talks with Afghanistan have stalled",
  "publisher": "Example News",
  "url": "https://example.org/news/istanbul-talks-stalled",
  "language": "en",
  "published_on": "2025-11-07",
  "kind": "news_article",
  "text": "Pakistan said that talks in Istanbul between Pakistan and Afghanistan have stalled."
};
