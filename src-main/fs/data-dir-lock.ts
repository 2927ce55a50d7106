import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** The lock file beside the journal; it holds no data. */
export const DATA_DIR_LOCK_FILE = 'breakglass.lock.sqlite3';

/**
 * Runs `work` holding an exclusive lock on the data directory, so that several processes started
 * on one (fresh) data directory take turns: creating the drill key, enrolling it and using its
 * signature counter are one step each. The lock is SQLite's own file lock on a small file beside
 * the journal, which the operating system releases when a process dies, so a crash never leaves
 * it held. A process that waits longer than `waitMs` gets SQLITE_BUSY (exit 4: try again).
 */
export async function withDataDirLock<T>(dataDir: string, work: () => Promise<T>, waitMs = 60_000): Promise<T> {
  mkdirSync(dataDir, { recursive: true });
  const lock = new Database(path.join(dataDir, DATA_DIR_LOCK_FILE), { timeout: waitMs });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return await work();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}
