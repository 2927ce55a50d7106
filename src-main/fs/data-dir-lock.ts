import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The lock file for a data directory, in the temporary folder: a command that refuses a bad
 * journal must leave the data directory byte for byte as it was, so the lock is not kept there.
 */
export function dataDirLockFile(dataDir: string): string {
  const resolved = existsSync(dataDir) ? realpathSync(dataDir) : path.resolve(dataDir);
  return path.join(os.tmpdir(), `breakglass-${createHash('sha256').update(resolved).digest('hex').slice(0, 24)}.lock`);
}

/**
 * Runs `work` holding an exclusive lock on the data directory, so that several processes started
 * on one (fresh) data directory take turns: creating the drill key, enrolling it and using its
 * signature counter are one step each. The lock is SQLite's own file lock on a small file named
 * after the directory (dataDirLockFile), which the operating system releases when a process dies,
 * so a crash never leaves it held. A process that waits longer than `waitMs` gets SQLITE_BUSY (exit 4: try again).
 */
export async function withDataDirLock<T>(dataDir: string, work: () => Promise<T>, waitMs = 60_000): Promise<T> {
  const lock = new Database(dataDirLockFile(dataDir), { timeout: waitMs });
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
