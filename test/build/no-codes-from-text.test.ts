import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Reading an error's message (its `detail`, or the sync's `last_error`) to decide what it is:
 * `/does not verify/.test(error.message)`, `message.includes(…)`, `SHAPE.exec(message)`, a pattern
 * tested on a string built from one. A refusal's code and field are data (src-shared/result.ts);
 * its message is for a person and may be reworded at any time.
 */
const READS_MESSAGE = [
  /\.(message|detail|last_error)\s*\??\.\s*(includes|startsWith|endsWith|match|search|indexOf)\s*\(/,
  /\.(test|exec)\((?=[^;]*\b(message|detail|last_error)\b)/,
];

/**
 * The only places left, each classifying text that comes from outside and carries no code: the
 * test fails when one no longer needs its entry, so the list only shrinks.
 */
const EXCEPTIONS: Record<string, string> = {
  // "file is not a database", "malformed"; and a RAISE(ABORT, 'database or disk is full')
  // trigger that stands in for a full disk in the tests.
  'src-main/db/sqlite-failure.ts': 'SQLite error text',
  // JSON.parse names where the syntax error is only in its words: a position told to a person.
  'src-main/reconcile/read-json-file.ts': "V8's JSON SyntaxError text",
  'src-main/reconcile/cloudtrail-events.ts': "V8's JSON SyntaxError text",
  // V8's RangeError ("Maximum call stack size exceeded", "Invalid time value") has no code.
  'src-main/cli/classify-failure.ts': 'JavaScript engine RangeError text',
  // zod's stock "Invalid input…" message for a configuration file's type errors.
  'src-shared/config/format-issues.ts': "zod's own message",
};

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const readsMessage = (code: string) => code.split('\n').some((line) => READS_MESSAGE.some((re) => re.test(line)));

/**
 * A refusal turned back into an exception that carries its code (`if (!slot.ok) throw new
 * KeyError(slot.error.code, …)`), only for a caller to catch it and make a refusal again: the
 * round trip the one result shape ends. A refused result is returned, or answered where it lands.
 */
const REFUSAL_RETHROWN = /\bthrow\s+new\s+\w+\(\s*[\w.?]*\berror\.code\b/;
const rethrowsRefusal = (code: string) => code.split('\n').some((line) => REFUSAL_RETHROWN.test(line));

describe('no code, field or kind of failure is read out of a message', () => {
  it('the check fires on what handlers.ts and refusal-words.ts did before', () => {
    expect(
      readsMessage("const code = /does not verify/.test(error.message) ? 'journal-tampered' : 'export-refused';"),
    ).toBe(true);
    expect(readsMessage('const evidence = EVIDENCE_SHAPE.exec(message);')).toBe(true);
    expect(readsMessage("if (e.message.includes('already enrolled')) return 'already-enrolled';")).toBe(true);
    // sync-service.ts and status-bar.tsx before: a full disk, and refused credentials, read from words.
    expect(readsMessage('const full = /SQLITE_FULL|disk is full/i.test(`${code} ${detail}`);')).toBe(true);
    expect(readsMessage("const calm = !/credential|password/i.test(sync.last_error ?? '');")).toBe(true);
    expect(readsMessage('return refused(error.code, error.message);')).toBe(false);
    expect(readsMessage("if (!CEREMONY_ID.test(ceremonyId)) throw new JournalError('not a valid id');")).toBe(false);
  });

  it('holds for src-main, src-shared and src-renderer, but for the listed outside texts', () => {
    const offenders = ['src-main', 'src-shared', 'src-renderer']
      .flatMap(sources)
      .filter((f) => readsMessage(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders.filter((f) => !Object.hasOwn(EXCEPTIONS, f))).toEqual([]);
    expect(Object.keys(EXCEPTIONS).filter((f) => !offenders.includes(f))).toEqual([]);
  });

  it('no refused result is thrown again with its code (enrolment-store.ts did before)', () => {
    expect(
      rethrowsRefusal(
        '  if (!slot.ok) throw new KeyError(slot.error.code, `${slot.error.message} Nothing was saved.`);',
      ),
    ).toBe(true);
    expect(rethrowsRefusal('  if (!opened.ok) throw new UserError(`${opened.error.message}`, EXIT_USAGE);')).toBe(
      false,
    );
    const offenders = ['src-main', 'src-shared', 'src-renderer']
      .flatMap(sources)
      .filter((f) => rethrowsRefusal(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
