import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC_MAIN = path.resolve(__dirname, '../../src-main');
/** The domain folders and the use cases above them: none of them is the CLI. */
const NOT_CLI = [
  'db',
  'journal',
  'webauthn',
  'hardware-key',
  'evidence',
  'bundle',
  'reconcile',
  'sync',
  'ceremony',
  'use-cases',
];

/**
 * What only the CLI may know: its exit codes, how it ends the process, its raw arguments and their
 * parsing. A domain says what happened; cli/ decides the exit code (classify-failure.ts for
 * errors, verdict-exits.ts for verify's verdicts). Comments may still say what the CLI does.
 */
const CLI_CONCERNS: readonly [RegExp, string][] = [
  [/\bprocess\.exit\b|\bprocess\.exitCode\b/, 'ends the process'],
  [/\bprocess\.argv\b/, 'reads the command line'],
  [/\bparseArgs\b|from 'node:util'.*parseArgs/, 'parses flags'],
  [/\bexit(?:Code)?\s*:\s*\d/, 'holds an exit code'],
  [/\.exit\b(?!\()/, 'reads an exit code'],
  [/\bUserError\b/, 'uses the CLI error type'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The code of a file without its comments, line by line (line numbers kept). */
function codeLines(text: string): string[] {
  const noBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  return noBlocks.split('\n').map((line) => line.replace(/(^|[^:'"`])\/\/.*$/, '$1'));
}

describe('CLI concerns live in cli/ only', () => {
  it('no domain folder or use case holds an exit code, ends the process, or reads or parses flags', () => {
    const found: string[] = [];
    for (const folder of NOT_CLI)
      for (const file of sourceFiles(path.join(SRC_MAIN, folder)))
        codeLines(readFileSync(file, 'utf8')).forEach((line, i) => {
          for (const [pattern, what] of CLI_CONCERNS)
            if (pattern.test(line)) found.push(`${path.relative(SRC_MAIN, file)}:${i + 1} ${what}: ${line.trim()}`);
        });
    expect(found).toEqual([]);
  });

  it('the check sees an exit code and a process exit where they do not belong', () => {
    const planted = codeLines('export const V = { TAMPERED: { exit: 1 } };\nif (bad) process.exit(2);');
    const hits = planted.filter((line) => CLI_CONCERNS.some(([pattern]) => pattern.test(line)));
    expect(hits).toHaveLength(2);
  });
});
