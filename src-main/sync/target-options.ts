/**
 * The options `sync` and `audit-diff` share. Their own file, with no imports, so the CLI can list
 * them (help, parsing) without loading the MongoDB driver until one of those commands runs.
 */
export const TARGET_OPTIONS = {
  'data-dir': { type: 'string' },
  uri: { type: 'string' },
  db: { type: 'string' },
  config: { type: 'string' },
  'timeout-ms': { type: 'string' },
} as const;
