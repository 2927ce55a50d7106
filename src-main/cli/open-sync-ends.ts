import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE } from '../db/open-database';
import { openJournal, type Journal } from '../journal/journal';
import { EXIT_USAGE, UserError, type CliCommand } from './command';
import { defaultDataDir } from '../data-dir';
import { DEFAULT_TIMEOUTS, openAuditLog, type AuditLogConnection } from '../sync/audit-log-target';
import { DEFAULT_ROUND_TRIP_MS } from '../sync/deadline';
import { resolveCliTarget, TargetNotConfiguredError } from './resolve-sync-target';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Shared first steps of `sync` and `audit-diff`: find the journal (never create one), check the
 * URI before touching anything, then open both. Bad input becomes a UserError; nothing is written.
 * `readonly` (audit-diff) opens the journal read-only: it works on a read-only data directory.
 */
export function openCliEnds(
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  command: CliCommand,
  options: { readonly?: boolean } = {},
): { journal: Journal; log: AuditLogConnection; roundTripMs: number } {
  const dataDir = text(values['data-dir']) ?? defaultDataDir();
  const timeoutText = text(values['timeout-ms']);
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)
    throw new UserError(
      `--timeout-ms must be a whole number of milliseconds between 100 and 120000\nusage: ${command.usage}`,
    );
  let target: ReturnType<typeof resolveCliTarget>;
  try {
    target = resolveCliTarget({
      uri: text(values.uri),
      db: text(values.db),
      config: text(values.config),
      dataDir,
      env,
    });
  } catch (error) {
    if (error instanceof TargetNotConfiguredError)
      throw new UserError(`${error.message}\nusage: ${command.usage}`, EXIT_USAGE);
    // A ConfigError goes on as it is: classify-failure.ts makes it exit 2, as for every command.
    throw error;
  }
  const opened = openAuditLog(target, {
    ...DEFAULT_TIMEOUTS,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  // A URI or database name it refuses is bad input: exit 2, with the usage line.
  if (!opened.ok) throw new UserError(`${opened.error.message}\nusage: ${command.usage}`, EXIT_USAGE);
  const log: AuditLogConnection = opened.value;
  const file = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) {
    void log.close();
    throw new UserError(`no journal at ${file} (give --data-dir)`, EXIT_USAGE);
  }
  try {
    // --timeout-ms also bounds every reply, however slowly it trickles in; without it, 30 s.
    return {
      journal: openJournal({ dataDir, readonly: options.readonly === true }),
      log,
      roundTripMs: timeoutText === undefined ? DEFAULT_ROUND_TRIP_MS : timeoutMs,
    };
  } catch (error) {
    // A journal file it refuses (DatabaseOpenError) is exit 2 in runCli, as for every command.
    void log.close();
    throw error;
  }
}
