import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { App } from '../../src/app.js';

// Browser tests drive Debian's Chromium through playwright-core, which never downloads a
// browser. Without Chromium they fail with a message that says how to get it; they never
// skip.

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: the browser tests need it. Run \`bash scripts/ensure-chromium.sh\` (installs Debian's chromium package).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

/** Listens on an ephemeral port of the loopback interface; returns the base URL. */
export async function listenLocally(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** Where a test keeps a screenshot (test-results/, gitignored). */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
