import { ConfigError, loadConfig } from '../config/load-config';
import { DEFAULT_DATABASE, MONGODB_PASSWORD_ENV, type AuditLogTarget } from '../sync/audit-log-target';

export class TargetNotConfiguredError extends Error {}

/**
 * Where the CLI syncs to: --uri/--db win, then the configuration's mongodb section; the password
 * comes only from $BREAKGLASS_MONGODB_PASSWORD.
 */
export function resolveCliTarget(options: {
  uri?: string;
  db?: string;
  config?: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
}): AuditLogTarget {
  let uri = options.uri;
  let database = options.db;
  if (!uri || !database) {
    let fromConfig: { uri?: string; database?: string } | undefined;
    try {
      fromConfig = loadConfig({ explicit: options.config, env: options.env, dataDir: options.dataDir }).config.mongodb;
    } catch (error) {
      // An explicit --uri/--db does not need a valid configuration file.
      if (!(error instanceof ConfigError) || !uri) throw error;
    }
    uri ??= fromConfig?.uri;
    database ??= fromConfig?.database;
  }
  if (!uri)
    throw new TargetNotConfiguredError('sync not configured: give --uri, or set mongodb.uri in the configuration file');
  const password = options.env[MONGODB_PASSWORD_ENV];
  return { uri, database: database ?? DEFAULT_DATABASE, ...(password ? { password } : {}) };
}
