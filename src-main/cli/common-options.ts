// Options several commands share, described once.
import type { CliOption } from './command';

const DATA_DIR_DEFAULT =
  "the app's data directory: ~/.config/Breakglass on Linux ($XDG_CONFIG_HOME/Breakglass when set), " +
  '~/Library/Application Support/Breakglass on macOS, %APPDATA%\\Breakglass on Windows';

export const DATA_DIR: CliOption = {
  type: 'string',
  value: 'DIR',
  help: 'the directory holding the journal (journal.sqlite3)',
  default: DATA_DIR_DEFAULT,
};

export const CONFIG: CliOption = {
  type: 'string',
  value: 'FILE',
  help: 'the configuration file (YAML or JSON)',
  default: '$BREAKGLASS_CONFIG, else config.yaml in the data directory, else the built-in example from the runbook',
};

/** sync and audit-diff: where the journal and the MongoDB collection are (open-sync-ends.ts parses them). */
export const TARGET_CLI_OPTIONS: Readonly<Record<'data-dir' | 'uri' | 'db' | 'config' | 'timeout-ms', CliOption>> = {
  'data-dir': DATA_DIR,
  uri: {
    type: 'string',
    value: 'URI',
    help: 'the MongoDB connection string, without the password',
    default: 'mongodb.uri from the configuration',
  },
  db: {
    type: 'string',
    value: 'NAME',
    help: 'the database holding agent_audit_log',
    default: 'mongodb.database from the configuration, else breakglass',
  },
  config: CONFIG,
  'timeout-ms': {
    type: 'string',
    value: 'MS',
    help: 'how long to wait for the server, 100 to 120000',
    default: '5000',
  },
};
