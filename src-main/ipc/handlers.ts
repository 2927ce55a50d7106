import type { Journal } from '../journal/journal';
import { journalStatus } from '../journal/journal-status';
import type { Handlers } from './handle';

export interface CoreServices {
  journal: Journal;
  dataDir: string;
}

/**
 * The implementation behind every IPC channel, built from plain core services. The Electron
 * app and the browser test harness both use this, so UI tests exercise the real core.
 */
export function createHandlers(services: CoreServices): Handlers {
  const { journal, dataDir } = services;
  return {
    'journal:status': () => journalStatus(journal, dataDir),
  };
}
