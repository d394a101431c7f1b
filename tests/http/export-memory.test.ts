import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type TestApp } from '../helpers/app.js';
import { startServer, type RunningServer } from '../helpers/server.js';

// Exporting 100,000 events streams them: the server process's memory stays flat instead
// of growing with the result. Measured on the real server process, its heap capped at
// 128 MB, over real HTTP, with its resident memory sampled from /proc while it streams.

const EVENTS = 100_000;
const SOURCE = 'src_toutiao_7570382530332770879';

let t: TestApp;
let server: RunningServer;
beforeAll(async () => {
  t = await seededApp();
  const now = new Date();
  for (let start = 0; start < EVENTS; start += 5000) {
    const ids = Array.from({ length: 5000 }, (_, i) => `evt_load_${String(start + i).padStart(6, '0')}`);
    await t.database.prisma.event.createMany({
      data: ids.map((id, i) => ({
        id,
        title: `Generated clash ${start + i}, with "quotes", commas and a\nnewline`,
        eventType: 'Battles',
        subEventType: 'Armed clash',
        startDate: '2010-01-01',
        endDate: '2010-01-02',
        datePrecision: 'day',
        country: 'AFG',
        latitude: 34.5,
        longitude: 69.2,
        geoPrecision: 'locality',
        updatedAt: now,
      })),
    });
    await t.database.prisma.provenance.createMany({
      data: ids.map((id) => ({ id: `prv_${id}`, sourceId: SOURCE, excerpt: 'Tensions', eventId: id, updatedAt: now })),
    });
  }
  // A server whose heap may not grow past 128 MB: holding the result would crash it.
  server = await startServer(t.url, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=128`.trim() });
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await t.close();
});

describe('streaming exports', () => {
  it.each(['csv', 'ndjson', 'geojson'])(
    `exports ${EVENTS.toLocaleString('en')} events as %s with flat server memory`,
    async (format) => {
      // Warm up the route, then take the resident memory it settles at.
      await (await fetch(`${server.base}/v1/events?format=${format}&limit=10&country=AFG&from=2025-01-01`)).text();
      const baseline = server.rss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 25);

      const response = await fetch(`${server.base}/v1/events?format=${format}&to=2010-12-31`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const marker = 'evt_load_';
      let bytes = 0;
      let records = 0;
      let carry = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        // Each event's id appears once a record (twice in GeoJSON: feature id and
        // properties); the carry catches an id split across two chunks.
        const text = carry + Buffer.from(value).toString('latin1');
        records += text.split(marker).length - 1;
        carry = text.slice(-(marker.length - 1));
      }
      clearInterval(sampler);

      const mb = (n: number) => (n / 2 ** 20).toFixed(1);
      console.log(`${format}: ${mb(bytes)} MB streamed; server RSS ${mb(baseline)} MB before, peak ${mb(peak)} MB (+${mb(peak - baseline)} MB)`);
      expect(records).toBe(format === 'geojson' ? EVENTS * 2 : EVENTS);
      expect(bytes).toBeGreaterThan(20 * 2 ** 20);
      // The whole result (100k events) never sits in memory: the heap cap would have
      // stopped the server, and resident memory stays within a bound.
      expect(server.child.exitCode).toBeNull();
      expect(peak / 2 ** 20).toBeLessThan(400);
    },
    300_000,
  );
});
