import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoParseError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import type { RefusalCode } from '../../src-shared/result';

/**
 * Why a sync attempt failed, as refusal codes (src-shared/result.ts) that decide what happens next:
 * - offline: the server could not be reached or the connection broke (retry with backoff)
 * - server-refused: the server answered and said no: credentials, permissions, not primary, validation (retry, slower)
 * - not-acknowledged: written but not confirmed by the write concern (retry; duplicates are harmless)
 * - conflict: the log already holds a different row under an entry's id (stop; a human must look)
 * - bad-entry: a journal entry cannot be turned into a row (stop; a bug or a damaged journal)
 * - config-invalid: the configured URI does not parse (stop until the configuration changes)
 */
export type SyncFailureCode = Extract<
  RefusalCode,
  'offline' | 'server-refused' | 'not-acknowledged' | 'conflict' | 'bad-entry' | 'config-invalid'
>;

/**
 * The sync layer's typed failure, thrown inside it (a round trip's deadline, the driver's errors
 * described) and returned by its functions as a refusal with the same code.
 */
export class SyncError extends Error {
  constructor(
    readonly code: SyncFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const AUTH_CODES = new Set([18, 8000]);
const UNAUTHORIZED_CODES = new Set([13]);
const NOT_PRIMARY_CODES = new Set([10107, 13435, 13436, 11600, 11602, 189, 91]);

/**
 * What the driver's error for an operation means for a person, with credentials removed by
 * `redact`. (A URI that does not parse is caught where the client is built: see openAuditLog.)
 */
export function describeMongoError(error: unknown, where: string, redact: (text: string) => string): SyncError {
  if (error instanceof SyncError) return error;
  // A bulk insert wraps connection-level failures; the original is what explains them.
  const inner =
    error instanceof MongoBulkWriteError && error.errorResponse instanceof Error ? error.errorResponse : error;
  const detail = redact(inner instanceof Error ? inner.message : String(inner));
  if (isUnreadableReply(inner)) return notMongo(where, detail, inner);
  if (inner instanceof MongoServerSelectionError) {
    const reason = selectionReason(inner, redact);
    if (reason.auth)
      return new SyncError('server-refused', `MongoDB at ${where} refused the credentials (${reason.text}).`, {
        cause: inner,
      });
    if (reason.unreadable) return notMongo(where, reason.text, inner);
    return new SyncError('offline', `MongoDB at ${where} is not reachable${reason.text ? ` (${reason.text})` : ''}.`, {
      cause: inner,
    });
  }
  if (inner instanceof MongoNetworkTimeoutError)
    return new SyncError('offline', `The connection to MongoDB at ${where} timed out (${detail}).`, { cause: inner });
  if (inner instanceof MongoNetworkError)
    return new SyncError('offline', `The connection to MongoDB at ${where} was lost (${detail}).`, { cause: inner });
  if (inner instanceof MongoTopologyClosedError)
    return new SyncError('offline', 'The MongoDB connection was closed.', { cause: inner });
  if (inner instanceof MongoServerError) {
    const code = typeof inner.code === 'number' ? inner.code : undefined;
    const name = typeof inner.codeName === 'string' ? inner.codeName : code !== undefined ? `code ${code}` : 'error';
    if (code !== undefined && AUTH_CODES.has(code))
      return new SyncError('server-refused', `MongoDB at ${where} refused the credentials (${name}).`, {
        cause: inner,
      });
    if (code !== undefined && UNAUTHORIZED_CODES.has(code))
      return new SyncError('server-refused', `The MongoDB user may not write to the audit log (${name}: ${detail}).`, {
        cause: inner,
      });
    if (code !== undefined && NOT_PRIMARY_CODES.has(code))
      return new SyncError(
        'server-refused',
        `The MongoDB server is not accepting writes right now (${name}); it is probably electing a new primary.`,
        { cause: inner },
      );
    return new SyncError('server-refused', `MongoDB refused the write (${name}: ${detail}).`, { cause: inner });
  }
  return new SyncError('server-refused', `Sync failed: ${detail}`, { cause: inner });
}

/** Bytes that are not a MongoDB reply: a proxy, a web server, the wrong port. */
function isUnreadableReply(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  // The monitor wraps the parse failure in a network error; the cause says what happened.
  return error.name.startsWith('BSON') || error instanceof MongoParseError || isUnreadableReply(error.cause, depth + 1);
}

function notMongo(where: string, detail: string, cause: unknown): SyncError {
  return new SyncError(
    'server-refused',
    `The server at ${where} answered with something that is not a MongoDB reply (${detail}). Is the URI pointing at MongoDB?`,
    { cause },
  );
}

/** The per-server error behind a selection timeout: "connection refused", an auth failure, garbage bytes. */
function selectionReason(
  error: MongoServerSelectionError,
  redact: (text: string) => string,
): { text: string; auth: boolean; unreadable: boolean } {
  const servers = error.reason?.servers;
  if (servers) {
    for (const description of servers.values()) {
      const e = description.error;
      if (!e) continue;
      const code = (e as { code?: unknown }).code;
      const auth = typeof code === 'number' && AUTH_CODES.has(code);
      return { text: redact(e.message), auth, unreadable: isUnreadableReply(e) };
    }
  }
  return { text: redact(error.message), auth: false, unreadable: false };
}
