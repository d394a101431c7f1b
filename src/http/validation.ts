import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';

// Request validation: the routes' zod schemas, after one rule every database needs.
// PostgreSQL cannot store or even compare text holding U+0000, so a NUL anywhere in a
// query, path or body (key or value) is a 400 naming where it is, the same on SQLite.

type RouteSchema = Parameters<typeof validatorCompiler>[0];

const NUL = '\u0000';

/**
 * The JSON pointer of the first string (or object key) holding NUL, if any. Iterative, so
 * a body nested ten thousand deep cannot overflow the stack.
 */
export function nulPointer(root: unknown): string | undefined {
  const pending: [unknown, string][] = [[root, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, pointer] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return pointer;
    } else if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
      const children: [unknown, string][] = [];
      for (const [key, item] of entries) {
        const here = `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (String(key).includes(NUL)) return here;
        children.push([item, here]);
      }
      // Last pushed is visited first: reverse so the first offending field is the one named.
      for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]!);
    }
  }
  return undefined;
}

/** fastify-type-provider-zod's compiler, refusing NUL characters first. */
export function ledgerValidatorCompiler(route: RouteSchema) {
  const validate = validatorCompiler(route);
  return (data: unknown) => {
    const pointer = nulPointer(data);
    if (pointer === undefined) return validate(data);
    const issue: FastifySchemaValidationError = {
      keyword: 'nul',
      instancePath: pointer,
      schemaPath: '',
      params: {},
      message: 'must not contain a NUL character (U+0000)',
    };
    return { error: [issue] };
  };
}
