import { ConfigError, loadConfig, type LoadedConfig } from '../config/load-config';
import { UserError } from './command';

/** The configuration for a CLI command; a broken file is a usage error naming key and line. */
export function loadCliConfig(options: { explicit?: string; env: NodeJS.ProcessEnv; dataDir: string }): LoadedConfig {
  try {
    return loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
}
