import { isUtf8 } from 'node:buffer';
import { hash as sha256 } from 'node:crypto';
import { expect } from 'vitest';
import { builtInConfig } from '../../../src-shared/config/example-config';
import {
  readCanonicalBundleBytes,
  readEntryLinesApart,
  type LineRead,
} from '../../../src-main/evidence/canonical-bundle-bytes';
import { PLAIN_UTC } from '../../../src-shared/ceremony/action-logged-payload';
import {
  BundleReadError,
  parseBundle,
  parseBundleText,
  type ParsedBundle,
} from '../../../src-main/evidence/parse-bundle';
import { readTrustFile } from '../../../src-main/evidence/read-evidence';
import { verifyEvidence } from '../../../src-main/evidence/verify-evidence';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { canonicalize } from '../../../src-shared/canonical-json';
import type { Bundle } from '../../../src-shared/journal/types';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { resign } from '../../support/forger';
import { builtAsTheReaderBuilds } from '../../support/reader-built-line';
import { NOW, type Genuine } from './fixture';
import { codeOf, loadGenuine } from './forge-helpers';

/**
 * The oracle of the red-team tests on the verifier's fast path: the strict long path alone
 * (UTF-8 and byte-order-mark checks, then JSON.parse, I-JSON checks and the canonical re-spelling
 * comparison of parseBundleText), never the line reader. The fast path must either decline or
 * give exactly its result, and each hash it hands the chain check must be entryHash of the entry
 * the long path read (the canonical encoding, not the file's bytes).
 */
export function strictParse(bytes: Buffer, name = 'b'): ParsedBundle {
  if (!isUtf8(bytes)) throw new BundleReadError(`${name} is not UTF-8 text`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new BundleReadError(
      `${name} starts with a byte-order mark; a bundle is plain UTF-8 as \`breakglass export\` writes it`,
    );
  return parseBundleText(bytes.toString('utf8'), name);
}

type Outcome = { threw: string } | { parsed: ParsedBundle };

function attempt(read: () => ParsedBundle): Outcome {
  try {
    return { parsed: read() };
  } catch (error) {
    if (!(error instanceof BundleReadError)) throw error;
    return { threw: error.message };
  }
}

/**
 * Holds the fast readers (ASCII in place, and line by line) and parseBundle to the long path on
 * `bytes`. Returns whether the fast reader vouched for the file (it must then be what the long
 * path accepts).
 */
export function expectSameAsLongPath(bytes: Buffer, label: string): boolean {
  const strict = attempt(() => strictParse(bytes));
  const real = attempt(() => parseBundle(bytes, 'b'));
  // The same file handed over as text (export verifies its own output so): the same answer.
  if (isUtf8(bytes))
    expectSameOutcome(
      attempt(() => parseBundle(bytes.toString('utf8'), 'b')),
      strict,
      label,
    );
  if ('threw' in strict) {
    expect('threw' in real, label).toBe(true);
    if ('threw' in real) expect(real.threw, label).toBe(strict.threw);
    if (isUtf8(bytes)) expect(readCanonicalBundleBytes(bytes, 'b'), label).toBeUndefined();
    return false;
  }
  expect('parsed' in real, label).toBe(true);
  const r = (real as { parsed: ParsedBundle }).parsed;
  const s = strict.parsed;
  const fast = readCanonicalBundleBytes(bytes, 'b');
  const apart = readEntryLinesApart(bytes, 'b');
  for (const read of [fast, apart]) {
    if (read === undefined) continue;
    expect(s.ok, `${label}: the fast path vouched for a file the long path refuses`).toBe(true);
    expect(shape(read.bundle), label).toBe(shape(s.bundle));
    expect(read.entryHashes, label).toStrictEqual(s.bundle.entries.map((e) => entryHash(e)));
    expectKnownTimes(read, label);
    expectBuiltLines(read, label);
  }
  expect(shape(withoutHashing(r)), label).toBe(shape(withoutHashing(s)));
  return fast !== undefined;
}

function expectSameOutcome(o: Outcome, strict: Outcome, label: string): void {
  if ('threw' in strict || 'threw' in o) return expect(o, label).toStrictEqual(strict);
  expect(shape(withoutHashing(o.parsed)), label).toBe(shape(withoutHashing(strict.parsed)));
  if ('entryHashes' in o.parsed)
    expect(o.parsed.entryHashes, label).toStrictEqual(o.parsed.bundle.entries.map((e) => entryHash(e)));
}

/**
 * The times the line reader read from the bytes (LineRead.recordedMs): one per entry, and each
 * that is not NaN is an entry's recorded_at that PLAIN_UTC matches, as Date.parse reads it. The
 * rules use them instead of the text.
 */
export function expectKnownTimes(read: LineRead, label: string): void {
  const entries = read.bundle.entries;
  expect(read.recordedMs, label).toHaveLength(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const ms = read.recordedMs[i]!;
    if (Number.isNaN(ms)) continue;
    const at = entries[i]!.recorded_at;
    expect(PLAIN_UTC.test(at) && ms === Date.parse(at), `${label}: seq ${i} ${at} read as ${ms}`).toBe(true);
  }
}

/**
 * The lines the line reader says it built itself (LineRead.plainLogLines), which the chain walk
 * then does not read and the rules do not check against the running-log schema: each is a
 * running-log line linked to the one before it by the hashes the chain check recomputes, with
 * exactly the payload the rules are told it has.
 */
export function expectBuiltLines(read: LineRead, label: string): void {
  const entries = read.bundle.entries;
  expect(read.plainLogLines, label).toHaveLength(entries.length);
  for (let i = 0; i < entries.length; i++) {
    if (read.plainLogLines[i] === 0) continue;
    const e = entries[i]!;
    const about = `${label}: seq ${i}, built by the reader`;
    expect(i > 0 && e.seq === i && e.prev_hash === entries[i - 1]!.hash, about).toBe(true);
    expect(e.hash === read.entryHashes[i] && e.hash === entryHash(e), about).toBe(true);
    expect(builtAsTheReaderBuilds(e), about).toBe(true);
    expect([e.payload.parsed, e.payload.warnings], about).toStrictEqual([[], []]);
  }
}

/**
 * A parse result without what it gives the chain check and the rules (the long way's payload
 * texts, or the line reader's recomputed hashes, times and built lines, checked apart): the rest must be the same.
 */
function withoutHashing(p: ParsedBundle): unknown {
  const {
    payloadTexts: _texts,
    entryHashes: _hashes,
    recordedMs: _times,
    plainLogLines: _built,
    ...rest
  } = p as ParsedBundle & {
    payloadTexts?: unknown;
    entryHashes?: unknown;
    recordedMs?: unknown;
    plainLogLines?: unknown;
  };
  return rest;
}

/**
 * A value spelled with its member order and every object's prototype: toStrictEqual compares
 * `constructor`, which a payload member named "constructor" replaces.
 */
function shape(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`;
  const proto = Object.getPrototypeOf(v) === Object.prototype ? '' : '<other prototype>';
  const members = Object.keys(v).map((k) => `${JSON.stringify(k)}:${shape((v as Record<string, unknown>)[k])}`);
  return `${proto}{${members.join(',')}}`;
}

/** Verdict and findings of the real path (parseBundle, with its hashes) and of the long path. */
export function verdicts(bytes: Buffer, g: Genuine, witnesses: string[] = []): { real: unknown; strict: unknown } {
  const options = {
    trust: readTrustFile(g.trust),
    witnesses,
    config: builtInConfig(),
    now: NOW,
  };
  const run = (read: () => ParsedBundle) => {
    const o = attempt(read);
    if ('threw' in o) return { threw: o.threw };
    const report = verifyEvidence(o.parsed, options);
    return { verdict: report.verdict, findings: report.findings };
  };
  return { real: run(() => parseBundle(bytes, 'b')), strict: run(() => strictParse(bytes)) };
}

/** Both the readers and the verdicts agree with the long path; returns the verdict. */
export function expectSameVerdict(bytes: Buffer, g: Genuine, label: string, witnesses: string[] = []): unknown {
  expectSameAsLongPath(bytes, label);
  const v = verdicts(bytes, g, witnesses);
  expect(v.real, label).toStrictEqual(v.strict);
  return v.strict;
}

const TAIL = 195;

/**
 * The chain redone over the file's own entry lines, as a forger who hashes the bytes would: each
 * line's hash is SHA-256 of its pieces as written (however they are spelled), prev_hash links them
 * and the header's head follows. A reader that accepted a non-canonical line would then find its
 * chain intact, so only the format check can stop the file.
 */
export function rechainText(text: string): string {
  const lines = text.split('\n');
  let prev = '0'.repeat(64);
  let firstHead = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('    {"ceremony_id"')) continue;
    const comma = line.endsWith(',') ? ',' : '';
    const body = comma ? line.slice(0, -1) : line;
    const t = body.length - TAIL;
    const seqAt = body.indexOf(',"seq":') + 1;
    const seqEnd = body.indexOf(',"kind":');
    if (t < 0 || seqAt <= 0 || seqEnd < 0) continue;
    // The prev_hash piece as written too (its member name included), with the new previous hash.
    const prevPiece = `${body.slice(t + 41, t + 55)}${prev}${body.slice(t + 119, t + 120)}`;
    const hashed = `${body.slice(4, seqAt)}${body.slice(seqEnd + 1, t)}${prevPiece}${body.slice(t, t + 41)},${body.slice(seqAt, seqEnd)}}`;
    const h = sha256('sha256', hashed, 'hex');
    firstHead ||= body.slice(t + 129, t + 193);
    lines[i] = `${body.slice(0, t + 55)}${prev}${body.slice(t + 119, t + 129)}${h}${body.slice(t + 193)}${comma}`;
    prev = h;
  }
  const out = lines.join('\n');
  return out.replace(/("head": \{\n {4}"seq": \d+,\n {4}"hash": ")[0-9a-f]{64}/, `$1${prev}`);
}

/** The entry lines of a bundle text, and the index of the first. */
export function entryLines(text: string): { lines: string[]; first: number; count: number } {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('    {"ceremony_id"'));
  const count = lines.findIndex((l) => l === '  ],') - first;
  return { lines, first, count };
}

/**
 * The verdict of a copy of the genuine bundle edited by `edit` and re-signed with the pinned key,
 * checked with the witness codes of those very taps (what the founders would hold): the key
 * holder's forgery. The fast and the strict path must agree on it.
 */
export function resignedVerdict(g: Genuine, edit: (b: Bundle) => void): { verdict: string; findings: unknown[] } {
  const b = loadGenuine(g);
  edit(b);
  resign(b, g.recorded.key);
  const witnesses = ['scenario', 'sign_out'].map((step) => b.checkpoints.find((c) => c.step === step)!);
  const bytes = Buffer.from(
    bundleText(
      b,
      b.entries.map((e) => canonicalize(e.payload)),
    ),
    'utf8',
  );
  const v = verdicts(bytes, g, witnesses.map(codeOf)) as {
    real: { verdict: string; findings: unknown[] };
    strict: unknown;
  };
  expect(v.real).toStrictEqual(v.strict);
  return v.real;
}
