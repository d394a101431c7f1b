import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { artifactPath, launchChromium, listenLocally } from '../helpers/browser.js';
import { provider } from '../helpers/databases.js';

// The explorer page at / in a real browser, on the seeded ledger: what a person sees, that
// the page runs clean (no console errors under its Content-Security-Policy) and that it
// never reaches beyond the app's own origin.

let t: TestApp;
let browser: Browser;
let base: string;
let page: Page;
const requested: string[] = [];
const consoleErrors: string[] = [];
let pageHeaders: Record<string, string> = {};

beforeAll(async () => {
  [t, browser] = await Promise.all([seededApp(), launchChromium()]);
  base = await listenLocally(t.app);
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  const response = await page.goto(`${base}/`);
  pageHeaders = response?.headers() ?? {};
  await page.locator('body[data-ready]').waitFor();
  await page.screenshot({ path: artifactPath(`explorer-${provider}.png`), fullPage: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the explorer page at /', () => {
  it('loads the ledger with headings and a status line', async () => {
    expect(await page.locator('body').getAttribute('data-ready')).toBe('true');
    expect(await page.locator('h1').textContent()).toBe('Conflict Ledger');
    const headings = await page.locator('h2').allTextContents();
    expect(headings).toEqual(['Events per month', 'Casualty figures, side by side per reporter', 'Who accused whom']);
    const { body: events } = await getJson(t.app, '/v1/events?limit=1');
    expect(await page.locator('#status').textContent()).toContain(`${events.meta.total} events`);
  });

  it('shows every seeded event in the timeline, counted in the month it starts', async () => {
    const { body } = await getJson(t.app, '/v1/events?limit=1000');
    const events: { id: string; title: string; start_date: string; date_precision: string }[] = body.data;
    expect(events.length).toBeGreaterThan(0);

    const listed = page.locator('#timeline-list li[data-event-id]');
    expect((await listed.evaluateAll((items) => items.map((i) => i.getAttribute('data-event-id')))).sort()).toEqual(events.map((e) => e.id).sort());
    const timelineText = (await page.locator('#timeline').textContent()) ?? '';
    for (const event of events) expect(timelineText).toContain(event.title);

    // One bar per month (or year, for an event dated only to its year), counting the events
    // that start in it.
    const expected = new Map<string, number>();
    for (const e of events) {
      const period = e.date_precision === 'year' ? e.start_date.slice(0, 4) : e.start_date.slice(0, 7);
      expected.set(period, (expected.get(period) ?? 0) + 1);
    }
    const bars = await page
      .locator('#timeline-chart svg g.bar')
      .evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-period'), Number(g.getAttribute('data-count'))] as const));
    expect(new Map(bars)).toEqual(expected);
    expect(expected.get('2025-11')).toBeGreaterThan(0);
    const novemberBar = page.locator('#timeline-chart g.bar[data-period="2025-11"]');
    expect(await novemberBar.locator('text').allTextContents()).toEqual(['November 2025', String(expected.get('2025-11'))]);
    expect(Number(await novemberBar.locator('rect').getAttribute('width'))).toBeGreaterThan(0);
  });

  it('shows casualty claims side by side per reporter and marks the contested figures', async () => {
    const { body: summary } = await getJson(t.app, '/v1/events/evt_afghanistan_pakistan_border_conflict/casualties');
    const contested = summary.groups.filter((g: { contested: boolean }) => g.contested);
    expect(contested.length).toBeGreaterThan(0);

    const shown = page.locator('#casualties .casualty-group[data-contested="true"]');
    expect(await shown.count()).toBe(contested.length);
    const group = shown.filter({ has: page.locator('h4', { hasText: 'Civilians' }) });
    expect(await group.locator('h4 .badge').textContent()).toBe('Contested');

    // One column per reporter: the UN's conflict-wide toll beside the Afghan official's.
    const civilians = contested.find((g: { category: string }) => g.category === 'civilians');
    const reporters = civilians.reports.map((r: { reported_by: { name: string } | null }) => r.reported_by?.name ?? 'Unattributed');
    expect(reporters.length).toBeGreaterThan(1);
    expect(await group.locator('thead th').allTextContents()).toEqual(reporters);
    const killedRow = group.locator('tbody tr', { has: page.locator('th', { hasText: /^Killed$/ }) });
    const killed = civilians.reports.map((r: { killed: { min: number; max: number } }) => String(r.killed.min));
    expect(await killedRow.locator('td mark.contested-figure').allTextContents()).toEqual(killed);
    expect(killed).toEqual(expect.arrayContaining(['50', '4']));
    // A range across reporters, never their sum.
    const range = (await group.locator('.range').textContent()) ?? '';
    expect(range).toContain(`killed ${civilians.killed.low} to ${civilians.killed.high}`);
    expect(range).not.toContain('54');

    // A figure no one disputes is shown plainly, not marked.
    const plain = page.locator('#casualties .casualty-group[data-contested="false"]');
    expect(await plain.count()).toBe(summary.groups.length - contested.length);
    expect(await plain.locator('mark').count()).toBe(0);
    expect(await page.locator('#casualties').textContent()).toContain('23');
  });

  it('shows who accused whom: speaker, target, kind, quote and a link to the source', async () => {
    const { body: statement } = await getJson(t.app, '/v1/statements/stm_hakim_accuses_pakistan_of_instigating_shooting');
    expect(statement.kind).toBe('accusation');
    const row = page.locator(`#statements-table tbody tr[data-statement-id="${statement.id}"]`);
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain(statement.speaker.name);
    expect(cells[1]).toBe(statement.targets.map((a: { name: string }) => a.name).join(', '));
    expect(cells[2]).toBe('accusation');
    expect(await row.locator('td:nth-child(4) q').textContent()).toBe(statement.quote ?? statement.sources[0].excerpt);
    const link = row.locator('td:nth-child(5) a');
    expect(await link.getAttribute('href')).toBe(statement.sources[0].url);
    expect(await link.textContent()).toBe(statement.sources[0].title);

    // Only statements that name a target, each once; the table has a caption.
    const { body: all } = await getJson(t.app, '/v1/statements?limit=1000');
    const withTargets = all.data.filter((s: { targets: unknown[] }) => s.targets.length > 0).map((s: { id: string }) => s.id);
    const rows = await page.locator('#statements-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-statement-id')));
    expect(rows.sort()).toEqual(withTargets.sort());
    expect(await page.locator('#statements-table tbody tr[data-kind="accusation"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#statements-table caption').textContent()).toContain('Statements that name a target');
  });

  it('logs no console errors and requests nothing outside its own origin', () => {
    expect(consoleErrors).toEqual([]);
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => new URL(url).origin !== base)).toEqual([]);
    // What it fetched is the public API and its own files.
    const paths = requested.map((url) => new URL(url).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/', '/explorer/app.js', '/explorer/style.css', '/v1/events', '/v1/statements']));
    for (const path of paths) expect(path === '/' || path.startsWith('/explorer/') || path.startsWith('/v1/')).toBe(true);
  });

  it('says so, instead of showing an empty ledger, when reads need an API key', async () => {
    // The same database behind a second app that wants a read key.
    const locked = await buildApp({ database: t.database, readRequiresKey: true });
    const lockedPage = await browser.newPage();
    try {
      const lockedBase = await listenLocally(locked);
      await lockedPage.goto(`${lockedBase}/`);
      await lockedPage.locator('body[data-ready="error"]').waitFor();
      expect(await lockedPage.locator('#status').getAttribute('role')).toBe('alert');
      expect(await lockedPage.locator('#status').textContent()).toContain('needs an API key to read');
      expect(await lockedPage.locator('#statements-table tbody tr').count()).toBe(0);
    } finally {
      await lockedPage.close();
      await locked.close();
    }
  });

  it('runs under a strict same-origin Content-Security-Policy', async () => {
    // The server's policy (the explorer's own, or an app-wide one) allows scripts from the
    // origin only...
    const header = pageHeaders['content-security-policy'];
    expect(header).toMatch(/default-src 'self'/);
    expect(header).toMatch(/script-src 'self'(;|$)/);
    // The API is served over plain HTTP (behind a load balancer, on a LAN address): a policy
    // that upgrades the page's own requests to https would leave it without script or style
    // anywhere but on localhost.
    expect(header).not.toMatch(/upgrade-insecure-requests/);
    // ...and the page adds its own, enforced with it: nothing inline, nothing from elsewhere.
    // The page ran clean under both (no console errors above).
    const own = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"]) expect(own).toContain(directive);
    expect(own).not.toMatch(/unsafe-|https?:|\*/);
  });
});
