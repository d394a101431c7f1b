// Whether an error means "the database cannot serve right now" (down, unreachable, timed
// out, locked by another writer for too long) rather than "this request is wrong" or a
// bug. Such errors answer 503 with Retry-After, and the next request tries again: nothing
// here caches a failure, so service resumes by itself when the database is back.

/** Prisma's codes for a database that cannot be reached, timed out or ran out of connections. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028']);
/** The driver adapters' kinds for the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** PostgreSQL SQLSTATEs: connection exceptions (08), cancelled by statement_timeout, shutting down or starting up. */
const POSTGRES_STATES = /^(08...|57014|57P0[1-3]|53300)$/;
/** Socket errors from Node itself. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLite result codes for a database file that is locked, unreadable, full or gone. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB)/;
/**
 * node-postgres raises these as plain Errors, without a code: its pool's connect timeout,
 * a connection dropped under a query, and its own query timeout. Their text is all it gives.
 */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error)/;

interface Inspectable {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
  cause?: unknown;
}

function matches(error: Inspectable): boolean {
  if (error.name === 'PrismaClientInitializationError') return true;
  if (typeof error.code === 'string' && (PRISMA_CODES.has(error.code) || SOCKET_CODES.has(error.code) || POSTGRES_STATES.test(error.code) || SQLITE_CODES.test(error.code))) return true;
  if (typeof error.kind === 'string' && ADAPTER_KINDS.has(error.kind)) return true;
  if (typeof error.originalCode === 'string' && (POSTGRES_STATES.test(error.originalCode) || SQLITE_CODES.test(error.originalCode))) return true;
  return typeof error.message === 'string' && error.name === 'Error' && PG_CONNECTION_MESSAGES.test(error.message);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  // Walk the error, the adapter's cause Prisma keeps in meta, and any cause chain.
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const inspectable = current as Inspectable;
    if (matches(inspectable)) return true;
    const adapterCause = inspectable.meta?.driverAdapterError?.cause;
    if (adapterCause && typeof adapterCause === 'object' && matches(adapterCause as Inspectable)) return true;
    current = inspectable.cause;
  }
  return false;
}
