import { MongoClient, type Collection, type MongoClientOptions } from 'mongodb';
import type { AuditRow } from './audit-row';
import { parseMongoUri, redactSecrets } from './redact-secrets';
import { SyncError } from './sync-errors';
import { ok, refused, type Refusal, type Result } from '../../src-shared/result';

export const AUDIT_COLLECTION = 'agent_audit_log';
export const DEFAULT_DATABASE = 'breakglass';

/** The MongoDB password never lives in the configuration file (or on a command line others can see). */
export const MONGODB_PASSWORD_ENV = 'BREAKGLASS_MONGODB_PASSWORD';

/** Where rows go. The configuration file holds the URI without a password; `password` comes from the environment. */
export interface AuditLogTarget {
  uri: string;
  database: string;
  collection?: string;
  password?: string;
}

/**
 * Short timeouts: an offline laptop should learn "not reachable" in seconds and go back to
 * waiting, not hold a request open for the driver's default 30 s.
 */
export interface ConnectionTimeouts {
  serverSelectionTimeoutMS: number;
  connectTimeoutMS: number;
  socketTimeoutMS: number;
}

export const DEFAULT_TIMEOUTS: ConnectionTimeouts = {
  serverSelectionTimeoutMS: 3000,
  connectTimeoutMS: 3000,
  socketTimeoutMS: 20_000,
};

/** How long closing a connection may take before it is left to finish on its own. */
export const CLOSE_WAIT_MS = 2000;

export interface AuditLogConnection {
  readonly collection: Collection<AuditRow>;
  /** host list for messages, never credentials */
  readonly where: string;
  readonly redact: (text: string) => string;
  close(): Promise<void>;
}

/**
 * Builds a client for the target without touching the network (the driver connects on first
 * use). A URI that does not parse is refused here (config-invalid), with the password removed
 * from the message.
 */
export function openAuditLog(
  target: AuditLogTarget,
  timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS,
  extra: MongoClientOptions = {},
): Result<AuditLogConnection, Refusal<'config-invalid'>> {
  const redact = (text: string) => redactSecrets(text, [target.password]);
  let parsed: ReturnType<typeof parseMongoUri>;
  try {
    parsed = parseMongoUri(target.uri, redact);
  } catch (error) {
    if (error instanceof SyncError) return refused('config-invalid', error.message);
    throw error;
  }
  const { hosts: where, username } = parsed;
  if (!target.database || /[/\\. "$\0]/.test(target.database))
    return refused('config-invalid', `"${target.database}" is not a valid MongoDB database name.`);
  const options: MongoClientOptions = {
    ...timeouts,
    appName: 'breakglass',
    retryWrites: true,
    maxPoolSize: 4,
    ...extra,
  };
  if (target.password) {
    if (!username)
      return refused(
        'config-invalid',
        'A MongoDB password was given but the URI names no user (mongodb://USER@host/).',
      );
    options.auth = { username, password: target.password };
  }
  let client: MongoClient;
  try {
    client = new MongoClient(target.uri, options);
  } catch (error) {
    return refused('config-invalid', `The MongoDB URI does not parse: ${redact((error as Error).message)}`);
  }
  const collection = client.db(target.database).collection<AuditRow>(target.collection ?? AUDIT_COLLECTION);
  return ok({
    collection,
    where,
    redact,
    close: async () => {
      // Closing sends endSessions, which a stuck server may never answer: wait a bounded time,
      // then leave the client to finish on its own (its sockets are already closed).
      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
        timer.unref?.();
      });
      try {
        await Promise.race([client.close().catch(() => undefined), bounded]);
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
