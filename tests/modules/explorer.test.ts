import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, seededApp, type TestApp } from '../helpers/app.js';
import { EXPLORER_CSP, EXPLORER_PATHS, explorerRoutes } from '../../src/modules/explorer/explorer.routes.js';

// The explorer's files as the API serves them. What the page shows is checked in a real
// browser (tests/browser/explorer.test.ts); this checks how it is served and that its
// files stay within a strict same-origin policy.

const publicDir = path.resolve(import.meta.dirname, '..', '..', 'src', 'modules', 'explorer', 'public');

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(() => t.close());

describe('explorer files', () => {
  it('serves the page at / and its files under /explorer/, each with its media type', async () => {
    const expected: Record<string, RegExp> = {
      '/': /^text\/html; charset=utf-8/,
      '/explorer/app.js': /^text\/javascript; charset=utf-8/,
      '/explorer/style.css': /^text\/css; charset=utf-8/,
      '/explorer/favicon.svg': /^image\/svg\+xml/,
    };
    expect([...EXPLORER_PATHS].sort()).toEqual(Object.keys(expected).sort());
    for (const [url, type] of Object.entries(expected)) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(type);
      // The app-wide policy (helmet, src/http/hardening.ts) is served; the page adds its own in a meta tag.
      expect(response.headers['content-security-policy'], url).toMatch(/default-src 'self'.*script-src 'self'(;|$)/);
      expect(response.body.length, url).toBeGreaterThan(100);
    }
  });

  it('serves nothing else from its folder', async () => {
    for (const url of ['/explorer/index.html', '/explorer/', '/explorer/../explorer.routes.ts', '/explorer/%2e%2e/explorer.routes.ts', '/index.html']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('is not part of the API description', async () => {
    const { body: doc } = await getJson(t.app, '/openapi.json');
    for (const url of EXPLORER_PATHS) expect(Object.keys(doc.paths)).not.toContain(url);
  });

  it('leaves the policy to an app-wide Content-Security-Policy when one is set', async () => {
    const app = Fastify();
    const headers = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"] } } });
    app.addHook('onRequest', (request, reply, done) => headers(request.raw, reply.raw, () => done()));
    await app.register(explorerRoutes);
    try {
      const response = await app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-security-policy']).not.toBe(EXPLORER_CSP);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    } finally {
      await app.close();
    }
  });

  it('has no inline script, inline style or off-origin reference a strict policy would refuse', () => {
    const html = readFileSync(path.join(publicDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/explorer\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(3);
    for (const reference of references) expect(reference, reference).toMatch(/^(\/|#)/);

    const script = readFileSync(path.join(publicDir, 'app.js'), 'utf8');
    // Data are written as text, never parsed as markup; requests go to the API's own paths.
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    for (const [, url] of script.matchAll(/(?:getJson|listAll)\(\s*[`'"]([^`'"]+)/g)) expect(url).toMatch(/^\/v1\//);
    const css = readFileSync(path.join(publicDir, 'style.css'), 'utf8');
    expect(css).not.toMatch(/@import|url\(/);
  });
});
