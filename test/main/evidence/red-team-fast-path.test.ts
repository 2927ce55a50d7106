import { hash as sha256 } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import { codeUnitsBefore } from '../../../src-shared/ceremony/history-rules';
import { parseTime } from '../../../src-shared/ceremony/parse-time';
import type { Bundle } from '../../../src-shared/journal/types';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { readCanonicalBundleBytes } from '../../../src-main/evidence/canonical-bundle-bytes';
import { resign } from '../../support/forger';
import type { Genuine } from './fixture';
import { loadGenuine, useGenuineCeremony } from './forge-helpers';
import { entryLines, expectSameAsLongPath, expectSameVerdict, rechainText, verdicts } from './fast-path-oracle';

/*
 * Red team of the verifier's fast path (an ASCII bundle read in place, its chain hashed from the
 * file's bytes in one reused buffer, running-log payloads matched as a template, member names from
 * a table, times from a cached day). Its promise: it accepts exactly what the strict long path
 * accepts, with the same bundle, payload texts and hashes, and leaves everything else to the long
 * path. Each attack edits a real signed bundle and holds the real path (parseBundle, verifyEvidence)
 * to the long path alone (fast-path-oracle.ts). Edits that break a line's spelling are rechained
 * over the file's own bytes, so a reader that let the spelling through would find its chain intact.
 */

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const AT = '2026-11-20T13:12:30.000Z';
/** The payload every plain running-log line holds, the fast path's template. */
const logPayload = (text: string, at = AT) => ({ logged_at: at, parsed: [], text, warnings: [] });

/** The genuine history with plain running-log lines inserted before the minimal action, re-signed. */
function withLogLines(texts: readonly string[]): Bundle {
  const b = loadGenuine(g);
  const at = b.entries.findIndex((e) => e.kind === 'minimal_action_done');
  const lines = texts.map((text) => ({
    ...b.entries[at - 1]!,
    kind: 'action_logged',
    recorded_at: AT,
    payload: logPayload(text),
  }));
  b.entries.splice(at, 0, ...lines);
  return resign(b, g.recorded.key);
}

const textOf = (b: Bundle) =>
  bundleText(
    b,
    b.entries.map((e) => canonicalize(e.payload)),
  );
/** Length of an entry's hashed text (the bytes the reused buffer must hold). */
const hashedLength = (b: Bundle, i: number) => {
  const { hash: _hash, ...e } = b.entries[i]!;
  return Buffer.byteLength(`${canonicalize({ ...e, payload: {} })}`) + canonicalize(e.payload).length - 2;
};

let base: string;
let logLine: number; // index in base's lines of the first template line
beforeAll(() => {
  base = textOf(withLogLines(['plain one', 'plain two', 'echo ok']));
  logLine = base.split('\n').findIndex((l) => l.includes('"text":"plain one"'));
});

/** `base` with the first template line's payload text replaced, then rechained over the bytes. */
function editLog(from: string, to: string): Buffer {
  const lines = base.split('\n');
  expect(lines[logLine], from).toContain(from);
  lines[logLine] = lines[logLine]!.replace(from, to);
  return Buffer.from(rechainText(lines.join('\n')), 'latin1');
}

describe('the reused hashing buffer', () => {
  it('hashes lines on both sides of 16 KB, long then short then equal lengths, from their own bytes', () => {
    const probe = withLogLines(['x', 'x', 'x', 'x', 'x', 'x', 'x']);
    const first = probe.entries.findIndex((e) => e.kind === 'action_logged' && e.payload.text === 'x');
    const fixed = hashedLength(probe, first) - 1;
    // Hashed lengths 16384 (the buffer exactly), 16383, 16385 (the string way), a short line after
    // each, and two different lines of one length (one cached view of the buffer).
    const targets = [16384, 300, 16383, 16385, 300, 16384, 16384];
    const texts = targets.map((n, i) => String.fromCharCode(97 + i).repeat(n - fixed));
    const b = withLogLines(texts);
    targets.forEach((n, i) => expect(hashedLength(b, first + i)).toBe(n));
    const bytes = Buffer.from(textOf(b), 'latin1');
    expect(expectSameAsLongPath(bytes, 'boundary')).toBe(true);
    // Lines this long (and "aaa…") are more than log_action accepts: the only findings are that.
    const v = expectSameVerdict(bytes, g, 'boundary') as { verdict: string; findings: Array<{ reason: string }> };
    expect(v.verdict).toBe('RULES BROKEN');
    expect(v.findings).toHaveLength(7);
    for (const f of v.findings)
      expect(f.reason).toMatch(/^action_logged holds arguments the app refuses \(log_action\)/);
    // The same file again and the genuine one after it: nothing of the long lines is left behind.
    expect(expectSameAsLongPath(bytes, 'again')).toBe(true);
    expect(expectSameAsLongPath(Buffer.from(base, 'latin1'), 'after')).toBe(true);
  });

  it('rewrites the shared opening when another ceremony id of the same length follows', () => {
    const id = /"ceremony_id": "([^"]+)"/.exec(base)![1]!;
    const other = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
    const swapped = Buffer.from(rechainText(base.split(id).join(other)), 'latin1');
    expect(expectSameAsLongPath(Buffer.from(base, 'latin1'), 'first')).toBe(true);
    expect(expectSameAsLongPath(swapped, 'other id')).toBe(true);
    const read = readCanonicalBundleBytes(swapped, 'b')!;
    expect(read.entryHashes).toStrictEqual(read.bundle.entries.map((e) => e.hash));
  });

  it('reads a file that sits at an offset in a larger buffer from its own bytes', () => {
    const bytes = Buffer.from(base, 'latin1');
    const pool = Buffer.concat([Buffer.from(base.slice(0, 777), 'latin1'), bytes, Buffer.from('}{', 'latin1')]);
    const view = new Uint8Array(pool.buffer, pool.byteOffset + 777, bytes.length);
    expect(expectSameAsLongPath(Buffer.from(view.buffer, view.byteOffset, view.length), 'offset')).toBe(true);
    const v = verdicts(Buffer.from(view.buffer, view.byteOffset, view.length), g);
    expect(v.real).toStrictEqual(v.strict);
  });

  it('a payload nested too deeply for the one-pass parser goes to the long path', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const bytes = editLog('"parsed":[]', `"parsed":[${deep}]`);
    // Too deep to compare member by member: the reader declines, and both verdicts name the depth.
    expect(readCanonicalBundleBytes(bytes, 'b')).toBeUndefined();
    const v = verdicts(bytes, g);
    expect(v.real).toStrictEqual(v.strict);
    expect(JSON.stringify(v.strict)).toContain('nested too deeply');
  });

  it('a forged hash over stale bytes of a longer line does not pass', () => {
    // A short line whose "hash" is what the buffer would hold if the end of a longer line were left in it.
    const long = textOf(withLogLines(['L'.repeat(2000), 'short']));
    const { lines, first, count } = entryLines(long);
    const i = lines.findIndex((l, k) => k >= first && k < first + count && l.includes('"text":"short"'));
    const prevLine = lines[i - 1]!;
    const stale = sha256('sha256', `${lines[i]!.slice(4, 300)}${prevLine.slice(300)}`, 'hex');
    lines[i] = lines[i]!.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${stale}"`);
    expect(expectSameVerdict(Buffer.from(lines.join('\n'), 'latin1'), g, 'stale')).toMatchObject({
      verdict: 'TAMPERED',
    });
  });
});

describe('bytes beyond ASCII', () => {
  const cases: Array<[string, (t: string) => Buffer]> = [
    ['valid UTF-8 in a payload', (t) => Buffer.from(t.replace('plain one', 'pla\u00efn one'), 'utf8')],
    ['U+0085 and U+2028 in a payload', (t) => Buffer.from(t.replace('plain one', 'a\u0085b\u2028c'), 'utf8')],
    ['an emoji in a payload', (t) => Buffer.from(t.replace('plain one', 'plain \u{1f600}'), 'utf8')],
    [
      'non-ASCII only in the header',
      (t) => Buffer.from(t.replace(/"exported_at": "[^"]*"/, '"exported_at": "\u00e9t\u00e9"'), 'utf8'),
    ],
    ['non-ASCII only in the keys', (t) => Buffer.from(t.replace('"operator":"taha', '"operator":"t\u00e4ha'), 'utf8')],
    ['a lone Latin-1 byte 0xE9', (t) => Buffer.from(t.replace('plain one', 'pla\u00e9n one'), 'latin1')],
    ['a byte 0x80 in the header', (t) => Buffer.from(t.replace('"drill"', '"dr\u0080ill"'), 'latin1')],
    ['an overlong "A" (C1 81)', (t) => Buffer.from(t.replace('plain one', 'pl\u00c1\u0081in'), 'latin1')],
    [
      'a UTF-8-encoded surrogate (ED A0 80)',
      (t) => Buffer.from(t.replace('plain one', '\u00ed\u00a0\u0080'), 'latin1'),
    ],
    ['a byte-order mark', (t) => Buffer.from(`\ufeff${t}`, 'utf8')],
    ['a raw NUL in a payload', (t) => Buffer.from(t.replace('plain one', 'pl\u0000in'), 'latin1')],
    ['a raw control character 0x01', (t) => Buffer.from(t.replace('plain one', 'pl\u0001in'), 'latin1')],
    ['a raw tab', (t) => Buffer.from(t.replace('plain one', 'pl\tin'), 'latin1')],
    ['a raw DEL (written as itself)', (t) => Buffer.from(t.replace('plain one', 'pl\u007fin'), 'latin1')],
    ['a \\u00e9 escape in an ASCII file', (t) => Buffer.from(t.replace('plain one', 'pl\\u00e9in'), 'latin1')],
    ['a NUL after the closing brace', (t) => Buffer.from(`${t}\u0000`, 'latin1')],
  ];
  for (const [name, edit] of cases)
    it(`decides ${name} as the long path does`, () => {
      const edited = edit(rechainText(base));
      expectSameVerdict(edited, g, name);
      // And rechained over its own UTF-8 text (where that text is UTF-8), as a forger would.
      const utf8 = edited.toString('utf8');
      if (Buffer.from(utf8, 'utf8').equals(edited)) expectSameVerdict(Buffer.from(rechainText(utf8), 'utf8'), g, name);
    });
});

describe('member names', () => {
  const keys = [
    ['constructor', true],
    ['toString', true],
    ['hasOwnProperty', true],
    ['valueOf', true],
    ['__proto__', false],
    ['', true],
    ['9', true],
    ['loggeD_at', true],
    ['logged_a', true],
    ['lo', true],
  ] as const;
  for (const [key, canonical] of keys)
    it(`reads a payload member named ${JSON.stringify(key)} as the long path does`, () => {
      // In front of "logged_at" when it sorts before it, else after "warnings".
      const edited =
        key < 'logged_at' ? editLog('{"logged_at"', `{"${key}":{},"logged_at"`) : editLog('[]}', `[],"${key}":1}`);
      const verdict = expectSameVerdict(edited, g, key);
      if (!canonical) expect(JSON.stringify(verdict)).toContain('__proto__');
    });

  it('a name remembered from one payload is not handed to an unequal name of the same slot', () => {
    // Same length, first and last character: one table slot. Each must be read as written.
    for (const [a, b] of [
      ['abXc', 'abYc'],
      ['zz1', 'zz2'],
      ['text', 'tekt'],
    ]) {
      const lines = base.split('\n');
      const twoLines = [logLine, logLine + 1];
      twoLines.forEach((i, k) => (lines[i] = lines[i]!.replace('[]}', `[],"x${k ? b : a}":1}`)));
      const bytes = Buffer.from(rechainText(lines.join('\n')), 'latin1');
      expect(expectSameAsLongPath(bytes, `${a}/${b}`)).toBe(true);
      const read = readCanonicalBundleBytes(bytes, 'b')!;
      expect(Object.keys(read.bundle.entries.find((e) => `x${b}` in e.payload)!.payload)).toContain(`x${b}`);
    }
  });

  it('integer-like names sort by code unit, not as numbers', () => {
    expectSameVerdict(editLog('[]}', '[],"x":{"10":1,"9":2}}'), g, '10 < 9');
    expectSameVerdict(editLog('[]}', '[],"x":{"9":2,"10":1}}'), g, '9 before 10');
  });
});

describe('the running-log template', () => {
  const edits: Array<[string, string, string]> = [
    ['an extra member after warnings', '"warnings":[]}', '"warnings":[],"zz":0}'],
    ['members out of order', '"parsed":[],"text":"plain one"', '"text":"plain one","parsed":[]'],
    ['a duplicate text', '"text":"plain one"', '"text":"plain one","text":"other"'],
    ['an escaped quote in text', 'plain one', 'plain \\"one'],
    ['an escaped backslash in text', 'plain one', 'plain \\\\ one'],
    ['an escaped slash in text', 'plain one', 'plain \\/ one'],
    ['a \\u0041 in text', 'plain one', 'pl\\u0041in one'],
    ['a \\n in text', 'plain one', 'plain\\none'],
    ['a \\u001f in text (its canonical spelling)', 'plain one', 'plain\\u001fone'],
    ['a \\u001F in text', 'plain one', 'plain\\u001Fone'],
    ['the closing template inside text', 'plain one', 'a\\",\\"warnings\\":[]}'],
    ['the closing template inside text, unescaped', 'plain one', 'a","warnings":[]}'],
    ['parsed not empty', '"parsed":[]', '"parsed":[1]'],
    ['warnings not empty', '"warnings":[]', '"warnings":["w"]'],
    ['an empty warning', '"warnings":[]', '"warnings":[""]'],
    ['whitespace in an array', '"parsed":[]', '"parsed":[ ]'],
    ['whitespace after a colon', '"text":"plain', '"text": "plain'],
    ['an empty text', '"text":"plain one"', '"text":""'],
    ['another logged_at', `"logged_at":"${AT}"`, '"logged_at":"2026-11-20T13:12:29.000Z"'],
    ['an empty logged_at', `"logged_at":"${AT}"`, '"logged_at":""'],
    ['an escaped logged_at', `"logged_at":"${AT}"`, `"logged_at":"${AT.replace('T', '\\u0054')}"`],
    ['a second closing brace', '"warnings":[]}', '"warnings":[]}}'],
    ['a missing closing brace', '"warnings":[]}', '"warnings":[]'],
    ['the largest safe integer', '"warnings":[]}', '"warnings":[],"x":9007199254740991}'],
    ['an integer beyond 2^53', '"warnings":[]}', '"warnings":[],"x":9007199254740993}'],
    ['a negative zero', '"warnings":[]}', '"warnings":[],"x":-0}'],
    ['a fraction member', '"warnings":[]}', '"warnings":[],"x":0.5}'],
    ['an exponent', '"warnings":[]}', '"warnings":[],"x":1e2}'],
    ['a member respelled with an escape', '"warnings":[]}', '"warnings":[],"\\u0077arnings":["w"]}'],
    ['a nested template', '"text":"plain one"', '"text":{"logged_at":"","parsed":[],"text":"t","warnings":[]}'],
  ];
  // Canonical spellings: the fast path must read these itself (and agree), not only decline.
  const canonical =
    /extra member|quote|backslash|\\n|canonical spelling|template inside text$|not empty|empty warning|empty text|another|empty logged|nested|largest|fraction/;
  for (const [name, from, to] of edits)
    it(`decides ${name} as the long path does`, () => {
      const bytes = editLog(from, to);
      expectSameVerdict(bytes, g, name);
      expect(expectSameAsLongPath(bytes, name), name).toBe(canonical.test(name));
    });
});

describe('seq, hashes, times and line structure', () => {
  const line = (edit: (l: string) => string, rechain = true) => {
    const lines = base.split('\n');
    lines[logLine] = edit(lines[logLine]!);
    const t = lines.join('\n');
    return Buffer.from(rechain ? rechainText(t) : t, 'latin1');
  };
  const seqOf = (l: string) => /"seq":(\d+)/.exec(l)![1]!;
  const cases: Array<[string, (l: string) => string]> = [
    ['a leading zero in seq', (l) => l.replace(/"seq":(\d+)/, '"seq":0$1')],
    ['seq as a fraction', (l) => l.replace(/"seq":(\d+)/, '"seq":$1.0')],
    ['seq with an exponent', (l) => l.replace(/"seq":(\d+)/, (_m, d: string) => `"seq":${Number(d) / 10}e1`)],
    ['seq with 17 digits', (l) => l.replace(/"seq":(\d+)/, (_m, d: string) => `"seq":${d.padStart(17, '0')}`)],
    ['seq one too high', (l) => l.replace(/"seq":(\d+)/, (_m, d: string) => `"seq":${Number(d) + 1}`)],
    [
      'an uppercase hash',
      (l) => l.replace(/"hash":"([0-9a-f]{64})"/, (_m, h: string) => `"hash":"${h.toUpperCase()}"`),
    ],
    [
      'an uppercase prev_hash',
      (l) => l.replace(/"prev_hash":"([0-9a-f]{64})"/, (_m, h: string) => `"prev_hash":"${h.toUpperCase()}"`),
    ],
    ['a 63-character hash', (l) => l.replace(/"hash":"[0-9a-f]/, '"hash":"')],
    ['a space before the line ends', (l) => l.replace(/,$/, ' ,')],
    ['a CR before the newline', (l) => l.replace(/,$/, ',\r')],
    ['three spaces of indentation', (l) => l.slice(1)],
    ['a tab of indentation', (l) => `\t${l.slice(4)}`],
    ['no comma after the line', (l) => l.replace(/,$/, '')],
    ['a semicolon for the comma', (l) => l.replace(/,$/, ';')],
    ['a character between the brace and the comma', (l) => l.replace(/,$/, 'x,')],
    ['a bracket for the closing brace', (l) => l.replace(/\},$/, '],')],
    ["a quote for the hash's closing quote", (l) => l.replace(/"\},$/, "'},")],
    ['a renamed recorded_at member', (l) => l.replace(',"recorded_at":', ',"recorded_aT":')],
    ['a renamed prev_hash member', (l) => l.replace(',"prev_hash":', ',"prev_hasH":')],
    ['a renamed hash member', (l) => l.replace(',"hash":', ',"hasH":')],
    // logged_at and recorded_at stay the same bytes, so the running-log template still fits them.
    ['both times with an escaped quote for digits', (l) => l.split(AT).join('2026-11-20T13:12:30.0\\"Z')],
    ['both times with an escaped backslash for digits', (l) => l.split(AT).join('2026-11-20T13:12:30.\\\\0Z')],
    ['both times with letters for digits', (l) => l.split(AT).join('2026-11-20T13:12:30.abcZ')],
    ['a space for the closing brace', (l) => l.replace(/\},$/, ' ,')],
    ['an empty line after it', (l) => `${l}\n`],
    ['the line twice', (l) => `${l}\n${l}`],
    ['an unknown kind', (l) => l.replace('"kind":"action_logged"', '"kind":"action_loggee"')],
    ['an escaped kind', (l) => l.replace('"kind":"action_logged"', '"kind":"action\\u005flogged"')],
    [
      'members of the line reordered',
      (l) => l.replace(/("prev_hash":"[0-9a-f]{64}"),("hash":"[0-9a-f]{64}")/, '$2,$1'),
    ],
    [
      'recorded_at with an offset',
      (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"2026-11-20T13:12:30+00:00"'),
    ],
    ['recorded_at at 24:00', (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"2026-11-20T24:00:00.000Z"')],
    [
      'recorded_at on February 30th',
      (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"2026-02-30T13:12:30.000Z"'),
    ],
    ['recorded_at in month 13', (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"2026-13-20T13:12:30.000Z"')],
    ['recorded_at in year 0000', (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"0000-11-20T13:12:30.000Z"')],
    ['recorded_at in year 9999', (l) => l.replace(`"recorded_at":"${AT}"`, '"recorded_at":"9999-11-20T13:12:30.000Z"')],
    [
      'recorded_at with a lowercase z',
      (l) => l.replace(`"recorded_at":"${AT}"`, `"recorded_at":"${AT.toLowerCase()}"`),
    ],
  ];
  for (const [name, edit] of cases)
    it(`decides ${name} as the long path does, rechained or not`, () => {
      expect(seqOf(base.split('\n')[logLine]!)).not.toBe('0');
      expectSameVerdict(line(edit), g, name);
      expectSameVerdict(line(edit, false), g, `${name} (not rechained)`);
    });

  it('refuses a bundle with no entry line, or the entries list spelled twice', () => {
    const { lines, first, count } = entryLines(base);
    const none = [...lines.slice(0, first - 1), '  "entries": [],', ...lines.slice(first + count + 1)];
    expectSameVerdict(Buffer.from(none.join('\n'), 'latin1'), g, 'no entries');
    const twice = base.replace('\n  ],\n  "checkpoints": ', '\n  ],\n  "checkpoints": [],\n  "checkpoints": ');
    expectSameVerdict(Buffer.from(twice, 'latin1'), g, 'checkpoints twice');
  });
});

describe('a ceremony id that needs escaping', () => {
  // Spelled by JSON.stringify in the header, in every line's prefix and in the hashed text alike.
  for (const id of ['bg-"quoted"', 'bg-back\\slash', 'bg-\u0001-control', 'bg-caf\u00e9'])
    it(`a re-signed ceremony ${JSON.stringify(id)} reads the same both ways`, () => {
      const b = withLogLines(['plain one']);
      b.ceremony_id = id;
      for (const e of b.entries) e.ceremony_id = id;
      resign(b, g.recorded.key);
      const bytes = Buffer.from(textOf(b), 'utf8');
      expect(expectSameAsLongPath(bytes, id)).toBe(true);
      expectSameVerdict(bytes, g, id);
    });
  // An escape, so the file stays ASCII; checkpointChallenge refuses it, so the binding fails.
  it('a lone surrogate in the ceremony id (no key can sign one) reads the same both ways', () => {
    const id = /"ceremony_id": "([^"]+)"/.exec(base)![1]!;
    const bytes = Buffer.from(rechainText(base.split(`"${id}"`).join('"bg-\\ud800"')), 'latin1');
    expect(expectSameAsLongPath(bytes, 'lone')).toBe(true);
    expect(expectSameVerdict(bytes, g, 'lone')).toMatchObject({ verdict: 'TAMPERED' });
  });
});

describe('kinds named like Object.prototype members', () => {
  // Both readers hand such a line to the rules (the fast one declines it, the long one reads it);
  // a key holder re-signs the history around it, so only the rules stand between it and a verdict.
  for (const kind of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
    it(`a re-signed entry of kind "${kind}" is an unknown kind, not a crash`, () => {
      const b = withLogLines(['plain one']);
      const line = b.entries.find((e) => e.payload.text === 'plain one')!;
      line.kind = kind;
      resign(b, g.recorded.key);
      const verdict = expectSameVerdict(Buffer.from(textOf(b), 'latin1'), g, kind);
      expect(verdict).toMatchObject({
        verdict: 'RULES BROKEN',
        findings: [{ seq: line.seq, reason: `seq ${line.seq}: unknown entry kind "${kind}"` }],
      });
    });
});

describe('times and their order', () => {
  it('parseTime is Date.parse whatever day it read before', () => {
    const days = ['2028-02-29', '2026-02-29', '2026-02-30', '2026-13-01', '2026-11-20', '0000-01-01', '9999-12-31'];
    const times = ['00:00:00.000', '13:12:30.000', '23:59:59.999', '24:00:00.000', '24:00:00.001', '24:30:00.000'];
    times.push('12:60:00.000', '12:00:60.000', '-1:00:00.000', '1a:00:00.000');
    // Every day after every other (the cache holds the last day read), every time of day.
    for (const a of days)
      for (const b of days)
        for (const t of times)
          for (const s of [`${a}T${t}Z`, `${b}T${t}Z`, `${b}T${t}z`, `${b}T${t.replace('.', ',')}Z`])
            expect(parseTime(s), s).toBe(Date.parse(s));
  });

  it('codeUnitsBefore is < on equal, prefix and differently long times', () => {
    const xs = [
      AT,
      `${AT} `,
      AT.slice(0, -1),
      '2026-11-20T13:12:30.000+00:00',
      '',
      '\uffff',
      '\ud800',
      '\u00e9',
      '2026-11-2',
    ];
    for (const a of xs) for (const b of xs) expect(codeUnitsBefore(a, b), `${a} < ${b}`).toBe(a < b);
  });
});
