import type { TestApp } from './app.js';

/** A write key, a read-only key and a revoked write key, as Authorization headers. */
export async function testKeys(t: TestApp) {
  const write = await t.services.apiKeys.create({ name: 'editor', scopes: ['read', 'write'] });
  const read = await t.services.apiKeys.create({ name: 'reader', scopes: ['read'] });
  const revoked = await t.services.apiKeys.create({ name: 'former-editor', scopes: ['read', 'write'] });
  await t.services.apiKeys.revoke('former-editor');
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  return { write: bearer(write.key), read: bearer(read.key), revoked: bearer(revoked.key) };
}
