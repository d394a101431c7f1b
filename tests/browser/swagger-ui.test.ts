import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { artifactPath, launchChromium, listenLocally } from '../helpers/browser.js';
import { provider } from '../helpers/databases.js';

// Swagger UI in a real browser: a person opens /docs, tries the list-events operation and
// gets the seeded events back from the running app.

let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([seededApp(), launchChromium()]);
  base = await listenLocally(t.app);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('Swagger UI at /docs', () => {
  it('lists events through "Try it out" and "Execute", answering 200 with seeded data', async () => {
    const { body: seeded } = await getJson(t.app, '/v1/events?limit=1000');
    expect(seeded.data.length).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    try {
      await page.goto(`${base}/docs`);
      const operation = page.locator('#operations-events-listEvents');
      await operation.locator('.opblock-summary-control').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();

      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/events' && r.request().method() === 'GET');
      await operation.getByRole('button', { name: 'Execute' }).click();
      const response = await answered;
      expect(response.status()).toBe(200);

      const live = operation.locator('.live-responses-table tr.response');
      await expect.poll(() => live.locator('.response-col_status').textContent(), { timeout: 10_000 }).toContain('200');
      const shown = (await live.locator('.response-col_description').textContent()) ?? '';
      // The response panel shows the seeded records the API returned.
      for (const event of seeded.data) expect(shown).toContain(event.id);
      expect(shown).toContain(seeded.data[0].title);

      await live.scrollIntoViewIfNeeded();
      await page.screenshot({ path: artifactPath(`swagger-ui-list-events-${provider}.png`), fullPage: false });
    } finally {
      await page.close();
    }
  });
});
