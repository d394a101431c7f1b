import { createHash, randomBytes } from 'node:crypto';

// Ids are opaque strings with a readable prefix. Top-level records loaded by the seed carry
// their ids in the seed file; the rows that hang off a record (participants, aliases,
// targets, provenance) get ids derived from their natural key, so two fresh installs of
// the same seed give every row the same id.

export type IdPrefix = 'src' | 'act' | 'evt' | 'stm' | 'cas' | 'par' | 'als' | 'tgt' | 'sev' | 'prv' | 'idk';

export function derivedId(prefix: IdPrefix, ...naturalKey: string[]): string {
  const digest = createHash('sha256').update(naturalKey.join('\u0000')).digest('base64url');
  return `${prefix}_${digest.slice(0, 20)}`;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
