import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE, DatabaseOpenError } from '../db/open-database';
import { DatabaseFromTheFutureError } from '../db/migrations/index';
import type { Journal } from '../journal/journal';
import { UserError } from './command';

/** Reading commands must not create an empty journal where the user mistyped a path. */
export function openExistingJournal(dataDir: string, open: (o: { dataDir: string }) => Journal): Journal {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new UserError(`no journal at ${file} (is --data-dir right?)`);
  try {
    return open({ dataDir });
  } catch (error) {
    if (error instanceof DatabaseOpenError || error instanceof DatabaseFromTheFutureError) throw new UserError(error.message);
    throw error;
  }
}
