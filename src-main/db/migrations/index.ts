import type { Database } from 'better-sqlite3';
import { DatabaseOpenError } from '../database-open-error';
import createEntries from './0010-create-entries';
import createCheckpoints from './0020-create-checkpoints';
import createEnrolledKeys from './0030-create-enrolled-keys';
import createSyncState from './0040-create-sync-state';
import entriesWithoutAutoincrement from './0050-entries-without-autoincrement';
import indexStepLocks from './0060-index-step-locks';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Append only. Versions are multiples of 10 so a fix can slot in between. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'create-entries', up: createEntries },
  { version: 20, name: 'create-checkpoints', up: createCheckpoints },
  { version: 30, name: 'create-enrolled-keys', up: createEnrolledKeys },
  { version: 40, name: 'create-sync-state', up: createSyncState },
  { version: 50, name: 'entries-without-autoincrement', up: entriesWithoutAutoincrement },
  { version: 60, name: 'index-step-locks', up: indexStepLocks },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** A journal-open refusal like any other (exit 2 in the CLI), with the versions for callers that care. */
export class DatabaseFromTheFutureError extends DatabaseOpenError {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This journal was written by a newer version of Breakglass (schema ${found}; this app knows up to ${supported}). ` +
        'Open it with that version or newer; nothing was changed.',
    );
  }
}

/** Runs every pending migration in one transaction and records the version in user_version. */
export function migrate(db: Database, upTo: number = LATEST_SCHEMA_VERSION): number {
  for (let i = 1; i < MIGRATIONS.length; i++) {
    if (MIGRATIONS[i]!.version <= MIGRATIONS[i - 1]!.version) throw new Error('Migration versions are not monotonic');
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) throw new DatabaseFromTheFutureError(current, LATEST_SCHEMA_VERSION);
  const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= upTo);
  if (pending.length === 0) return current;
  // Foreign keys are off while migrating (SQLite's table-rebuild procedure: a rebuilt parent table
  // is briefly absent), and back to what they were afterwards. The pragma is a no-op inside a
  // transaction, hence outside.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    // IMMEDIATE, and the version read again inside: two processes opening one fresh data
    // directory take turns, and the second finds the work done instead of redoing it.
    return db
      .transaction(() => {
        const now = db.pragma('user_version', { simple: true }) as number;
        const todo = MIGRATIONS.filter((m) => m.version > now && m.version <= upTo);
        for (const m of todo) m.up(db);
        if (todo.length > 0) db.pragma(`user_version = ${todo[todo.length - 1]!.version}`);
        return Math.max(now, todo.at(-1)?.version ?? now);
      })
      .immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
