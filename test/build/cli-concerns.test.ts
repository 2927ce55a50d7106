import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src-main/cli/commands/index';

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

/**
 * The words a person types at the CLI: `--trusted-keys`, `--data-dir`. A domain's finding or
 * refusal says what is wrong and carries a code or field; cli/ names the flag and the app says it
 * its own way (it has no such flag there). A whole `breakglass <command> ...` line is an
 * instruction to run the CLI and reads right anywhere, so it may name its flags; another tool's
 * flags (`aws ... --output json`) are not ours.
 */
const CLI_FLAGS = new Set(COMMANDS.flatMap((c) => Object.keys(c.options)));
/** The helpers below the domains are held to it too: what they say reaches the app as well. */
const NO_FLAG_FOLDERS = [...NOT_CLI, 'config', 'aws', 'fs'];

/** Each string literal of a file (a template literal whole, `${}` for its holes), with its line. */
function stringLiterals(file: string, text: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    let literal: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node))
      literal = node.head.text + node.templateSpans.map((s) => `\${}${s.literal.text}`).join('');
    if (literal !== null)
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: literal });
    // A template's own spans are in its text already; only the expressions inside are visited.
    if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The CLI flags a literal names outside a whole `breakglass <command>` line. */
function flagsNamed(literal: string): string[] {
  const found: string[] = [];
  for (const m of literal.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)) {
    const before = literal.slice(0, m.index);
    if (CLI_FLAGS.has(m[1]!) && !/\bbreakglass [a-z][a-z-]*\b/.test(before)) found.push(`--${m[1]}`);
  }
  return found;
}

describe('CLI flags are named by cli/ only', () => {
  it('no string literal of a domain folder, use case or helper names a CLI flag', () => {
    const found: string[] = [];
    for (const folder of NO_FLAG_FOLDERS)
      for (const file of sourceFiles(path.join(SRC_MAIN, folder)))
        for (const l of stringLiterals(file, readFileSync(file, 'utf8')))
          for (const flag of flagsNamed(l.text)) found.push(`${path.relative(SRC_MAIN, file)}:${l.line} ${flag}`);
    expect(found).toEqual([]);
  });

  it('the check sees a flag in a message, in plain and template literals, and nowhere else', () => {
    const planted = [
      '// a comment may say --trusted-keys',
      "const a = 'signed by keys the reviewer did not pin (--trusted-keys)';",
      'const b = `ceremony ${id}: give the --data-dir of its journal`;',
      "const c = 'not `aws cloudtrail lookup-events --output json` output';",
      'const d = `Verify offline: breakglass verify ${id}.bundle.json --trusted-keys FILE`;',
      "const e = '--duration-minutes: expected whole minutes';",
    ].join('\n');
    const hits = stringLiterals('planted.ts', planted).flatMap((l) => flagsNamed(l.text).map((f) => `${l.line} ${f}`));
    expect(hits).toEqual(['2 --trusted-keys', '3 --data-dir', '6 --duration-minutes']);
  });
});
