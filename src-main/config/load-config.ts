import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as Yaml from 'yaml';
import { builtInConfig } from '../../src-shared/config/example-config';
import { formatIssues } from '../../src-shared/config/format-issues';
import { configSchema, type BreakglassConfig } from '../../src-shared/config/schema';
import { InputFileError, MAX_CONFIG_BYTES, readRegularFileSync } from '../fs/read-input-file';
import { mongoUriProblem } from './mongo-uri-secrets';

export type ConfigSource = { kind: 'file'; path: string } | { kind: 'example'; looked_in: string[] };

export interface LoadedConfig {
  config: BreakglassConfig;
  source: ConfigSource;
  /** One line for the screen, the CLI and `ceremony_started.config_source`. */
  description: string;
}

/** A configuration that cannot be used: the file and one line per problem (key, expectation). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: the configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const CONFIG_ENV = 'BREAKGLASS_CONFIG';
export const CONFIG_FILE_NAMES = ['config.yaml', 'config.yml', 'config.json'];

/**
 * Where the configuration comes from, in order: an explicit path (--config), $BREAKGLASS_CONFIG,
 * then config.yaml / config.yml / config.json in the data directory. An explicit path or the
 * variable must exist; a missing default file means the built-in example, said out loud.
 */
export function locateConfig(options: {
  explicit?: string;
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
}): { file: string } | { file: null; looked_in: string[] } {
  const explicit = options.explicit ?? options.env?.[CONFIG_ENV];
  if (explicit) {
    const file = path.resolve(explicit);
    if (!existsSync(file)) {
      const from = options.explicit ? 'the command line' : `$${CONFIG_ENV}`;
      throw new ConfigError(file, [`the file does not exist (named by ${from})`]);
    }
    return { file };
  }
  const candidates = options.dataDir ? CONFIG_FILE_NAMES.map((n) => path.join(options.dataDir!, n)) : [];
  const found = candidates.find((c) => existsSync(c));
  return found ? { file: found } : { file: null, looked_in: candidates };
}

export function loadConfig(
  options: { explicit?: string; env?: NodeJS.ProcessEnv; dataDir?: string } = {},
): LoadedConfig {
  const where = locateConfig(options);
  if (where.file === null) {
    return {
      config: builtInConfig(),
      source: { kind: 'example', looked_in: where.looked_in },
      description: `built-in example configuration (the runbook's tables): no configuration file${where.looked_in.length ? ` at ${where.looked_in.join(', ')}` : ''}`,
    };
  }
  let text: string;
  try {
    // A FIFO or device named by --config would hang or exhaust the app at start-up: regular files only.
    text = readRegularFileSync(where.file, { maxBytes: MAX_CONFIG_BYTES, what: 'configuration file' });
  } catch (error) {
    if (error instanceof InputFileError) throw new ConfigError(where.file, [error.detail]);
    throw error;
  }
  return {
    config: parseConfigText(text, where.file),
    source: { kind: 'file', path: where.file },
    description: `configuration file ${where.file}`,
  };
}

/** Parses YAML or JSON (by extension) and validates it; problems name the key and, for YAML, the line. */
export function parseConfigText(text: string, file: string): BreakglassConfig {
  if (text.trim().length === 0) throw new ConfigError(file, ['the file is empty']);
  let data: unknown;
  let lineOf: (p: readonly PropertyKey[]) => number | undefined = () => undefined;
  if (file.toLowerCase().endsWith('.json')) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
    }
  } else {
    const { LineCounter, isNode, parseDocument } = loadYaml();
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        file,
        doc.errors.map((e) => {
          const at = lines.linePos(e.pos[0]);
          return `not valid YAML at line ${at.line}, column ${at.col}: ${e.message.split('\n')[0]}`;
        }),
      );
    }
    try {
      // The yaml library refuses over 100 alias expansions (a "billion laughs" file) by throwing:
      // that is a mistake in the file, shown like any other, not a reason to stop start-up.
      data = doc.toJS();
    } catch (error) {
      throw new ConfigError(file, [`not usable YAML: ${(error as Error).message.split('\n')[0]}`]);
    }
    lineOf = (p) => {
      for (let n = p.length; n >= 0; n--) {
        const node = doc.getIn(p.slice(0, n) as Array<string | number>, true);
        if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new ConfigError(file, ['expected a mapping of keys (version, principals, founders, ...) at the top level']);
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const messages = formatIssues(result.error.issues);
    throw new ConfigError(
      file,
      messages.map((m, i) => {
        const line = lineOf(result.error.issues[i]!.path);
        return line ? `${m} (line ${line})` : m;
      }),
    );
  }
  const uri = result.data.mongodb.uri;
  const uriProblem = uri === undefined ? undefined : mongoUriProblem(uri);
  if (uriProblem) {
    const line = lineOf(['mongodb', 'uri']);
    throw new ConfigError(file, [`mongodb.uri: ${uriProblem}${line ? ` (line ${line})` : ''}`]);
  }
  return result.data;
}

/**
 * The YAML parser, loaded when a YAML file is read rather than at start: `breakglass verify`
 * without a configuration file never needs it, and compiling it is a share of its start-up
 * (bench/evidence.bench.ts). A literal require, so esbuild still bundles it (vitest provides one).
 */
function loadYaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof Yaml;
}
