import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { nulPointer } from '../domain/nul.js';

// Request validation: the routes' zod schemas, after one rule every database needs.
// PostgreSQL cannot store text holding U+0000 (src/domain/nul.ts), so a NUL anywhere in a
// query, path or body (key or value) is a 400 naming where it is, the same on SQLite.

type RouteSchema = Parameters<typeof validatorCompiler>[0];

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
