// PostgreSQL cannot store or even compare text holding U+0000 (SQLite stores it silently),
// so no text holding it may reach the database, whichever way it comes in: HTTP requests
// (src/http/validation.ts) or imported files (src/modules/imports/).

const NUL = '\u0000';

/** The path (object keys and array indexes) to the first string or object key holding NUL, if any. */
export function nulPath(root: unknown): string[] | undefined {
  // Iterative, so a value nested ten thousand deep cannot overflow the stack.
  const pending: [unknown, string[]][] = [[root, []]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
      const children: [unknown, string[]][] = [];
      for (const [key, item] of entries) {
        const here = [...path, String(key)];
        if (String(key).includes(NUL)) return here;
        children.push([item, here]);
      }
      // Last pushed is visited first: reverse so the first offending field is the one named.
      for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]!);
    }
  }
  return undefined;
}

/** The JSON pointer (RFC 6901) of the first string or object key holding NUL, if any. */
export function nulPointer(root: unknown): string | undefined {
  return nulPath(root)?.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Why an imported row holding NUL is rejected. */
export const NUL_REJECTION = 'contains a NUL character (U+0000), which the ledger cannot store';

export function containsNul(text: string): boolean {
  return text.includes(NUL);
}
