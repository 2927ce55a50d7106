import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE } from '../db/open-database';
import { openJournal, type Journal } from '../journal/journal';
import { UserError } from './command';

/**
 * Reading commands must not create an empty journal where the user mistyped a path. A journal
 * file that cannot be opened throws DatabaseOpenError, which runCli turns into exit 2 for every
 * command alike.
 */
export function openExistingJournal(dataDir: string, open: (o: { dataDir: string }) => Journal): Journal {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new UserError(`no journal at ${file} (is --data-dir right?)`);
  return open({ dataDir });
}

/**
 * The journal for a command that only reads (review, export --no-seal, key list, key
 * export-trust, audit-diff): opened read-only, so it works on a read-only data directory and
 * creates, migrates and changes nothing there (docs/journal-format.md, "Who opens it how").
 */
export function openJournalForReading(dataDir: string): Journal {
  return openExistingJournal(dataDir, (o) => openJournal({ ...o, readonly: true }));
}
