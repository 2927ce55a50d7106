// Runs electronegativity (in a child process, offline) and judges its findings against the
// allowlist: MEDIUM or above must be explained, one line each, in .electronegativity-allowlist.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Finding {
  id: string;
  severity: string;
  severity_value: number;
  confidence: string;
  file: string;
  line: number;
  column: number;
  sample: string;
  description: string;
  url: string;
}

export interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  issues: Finding[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}

export interface AllowEntry {
  id: string;
  file: string;
  reason: string;
  line: number;
}

export interface Allowlist {
  entries: AllowEntry[];
  skipChecks: Array<{ check: string; reason: string; line: number }>;
}

const MEDIUM = 2;
const MIN_REASON = 20;

/** Parses the allowlist; a line without a real reason is an error, not a silent pass. */
export function parseAllowlist(text: string): Allowlist {
  const entries: AllowEntry[] = [];
  const skipChecks: Allowlist['skipChecks'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [first = '', second = '', ...rest] = line.split(/\s+/);
    if (first === 'skip-check') {
      const reason = rest.join(' ');
      if (!/^[A-Za-z]+Check$/.test(second) || reason.length < MIN_REASON) {
        throw new Error(
          `.electronegativity-allowlist line ${i + 1}: expected "skip-check <CheckName> <why, at least ${MIN_REASON} characters>"`,
        );
      }
      skipChecks.push({ check: second, reason, line: i + 1 });
      return;
    }
    const reason = rest.join(' ');
    if (!/^[A-Z0-9_]+$/.test(first) || !second || reason.length < MIN_REASON) {
      throw new Error(
        `.electronegativity-allowlist line ${i + 1}: expected "<CHECK_ID> <file> <why, at least ${MIN_REASON} characters>", got "${line}"`,
      );
    }
    entries.push({ id: first, file: second, reason, line: i + 1 });
  });
  return { entries, skipChecks };
}

export const describeFinding = (f: Finding): string =>
  `${f.severity} ${f.id} ${f.file}:${f.line}:${f.column} \`${f.sample}\` — ${f.description} (${f.url})`;

/** Findings that fail the build, and allowlist entries that no longer match anything. */
export function judge(
  result: ScanResult,
  allowlist: Allowlist,
): { unexplained: string[]; stale: string[]; unparsed: string[] } {
  const serious = result.issues.filter((f) => f.severity_value >= MEDIUM);
  const explained = (f: Finding) => allowlist.entries.some((e) => e.id === f.id && e.file === f.file);
  return {
    unexplained: serious.filter((f) => !explained(f)).map(describeFinding),
    stale: allowlist.entries
      .filter((e) => !serious.some((f) => f.id === e.id && f.file === e.file))
      .map(
        (e) => `.electronegativity-allowlist line ${e.line}: ${e.id} ${e.file} matches no finding any more; remove it`,
      ),
    // A file the scanner cannot parse is a file it did not check.
    unparsed: result.errors
      .filter((e) => !e.tolerable)
      .map((e) => `${e.file}: electronegativity could not parse it (${e.message})`),
  };
}

const RUNNER = path.join(__dirname, 'run-electronegativity.cjs');

/**
 * Copies `dirs` (relative to `root`) and package.json into a scratch tree, so the scan sees
 * exactly the sources (no node_modules, no build output) and reports repository-relative paths.
 */
export async function scan(root: string, dirs: readonly string[], skipChecks: readonly string[]): Promise<ScanResult> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'breakglass-eng-'));
  try {
    const tree = path.join(work, 'tree');
    for (const d of dirs) cpSync(path.join(root, d), path.join(tree, d), { recursive: true });
    cpSync(path.join(root, 'package.json'), path.join(tree, 'package.json'));
    const out = path.join(work, 'findings.json');
    await run(process.execPath, [RUNNER, tree, out, ...skipChecks], {
      cwd: root,
      // en-US: the locale shipped in the package; TMPDIR: nothing cached by an earlier run is read.
      env: { ...process.env, LANG: 'en-US', LC_ALL: '', TMPDIR: work, TEMP: work, TMP: work },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(readFileSync(out, 'utf8')) as ScanResult;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
