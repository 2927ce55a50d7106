import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBundle } from '../../../src-main/bundle/read-bundle';
import { verifyBundle } from '../../../src-main/bundle/verify-bundle';
import { buildBundle } from '../../../src-main/bundle/build-bundle';
import { openJournal } from '../../../src-main/journal/journal';
import type { Bundle } from '../../../src-shared/journal/types';
import { cli } from '../../support/run-cli';
import { createSoftwareKey, lockStep } from '../../support/software-key';
import { useTempDir } from '../../support/temp-dir';

type Mutation = (b: Bundle) => void;

/** The first step_locked entry whose checkpoint is no longer in the bundle. */
function lockSeqWithoutCheckpoint(b: Bundle): number {
  const signed = new Set(b.checkpoints.map((c) => c.seq));
  return b.entries.find((e) => e.kind === 'step_locked' && !signed.has(e.seq - 1))!.seq;
}

/** Re-serialises as `breakglass verify` would read it from disk. */
function roundTrip(bundle: Bundle): Bundle {
  return parseBundle(JSON.stringify(bundle));
}

describe('an exported bundle (real drill, virtual key) detects tampering', () => {
  const tempDir = useTempDir();
  let pristine = '';
  let bundleFile = '';

  beforeAll(async () => {
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'bg-bundle-'));
    const result = await cli([
      'drill', '--data-dir', path.join(dir, 'data'), '--export', path.join(dir, 'out'),
      '--start-time', '2026-11-21T09:00:00.000Z', '--duration-minutes', '25',
      '--action', 'ran: aws ec2 describe-instances --instance-ids i-0abc',
      '--action', 'ran: aws ec2 terminate-instances --instance-ids i-0abc',
    ]);
    expect(result.code, result.err).toBe(0);
    bundleFile = result.lastLine;
    pristine = readFileSync(bundleFile, 'utf8');
  });

  it('verifies intact, with every lock checkpoint signed by the (virtual) key', () => {
    const verdict = verifyBundle(parseBundle(pristine));
    expect(verdict.ok).toBe(true);
    expect(verdict.checkpoints.map((c) => c.step)).toEqual(['scenario', 'notify', 'sign_in', 'audit_row', 'sign_out']);
    expect(verdict.keys.map((k) => k.authenticator)).toEqual(['virtual key']);
  });

  const entryIndex = (b: Bundle, kind: string) => b.entries.findIndex((e) => e.kind === kind);
  const cases: Array<[string, Mutation, (b: Bundle) => number, RegExp]> = [
    ['one byte of a payload edited', (b) => { const e = b.entries[entryIndex(b, 'action_logged')]!; e.payload.text = String(e.payload.text).replace('i-0abc', 'i-0abd'); }, (b) => entryIndex(b, 'action_logged'), /edited/],
    ['the last entry deleted', (b) => void b.entries.pop(), (b) => b.entries.length, /removed from the end/],
    ['the last entry deleted and the head rewritten to match', (b) => { b.entries.pop(); const last = b.entries[b.entries.length - 1]!; b.head = { seq: last.seq, hash: last.hash }; }, (b) => b.entries.length - 1, /sign_out.*no step_locked entry right after it/],
    ['a middle entry deleted', (b) => void b.entries.splice(5, 1), () => 5, /seq 5 is missing/],
    ['two entries swapped', (b) => { const t = b.entries[3]!; b.entries[3] = b.entries[4]!; b.entries[4] = t; }, () => 3, /seq 4 appears at position 3|reordered/],
    ['recorded_at changed', (b) => { b.entries[2]!.recorded_at = '2026-11-21T08:59:00.000Z'; }, () => 2, /edited/],
    ['an entry inserted', (b) => void b.entries.splice(4, 0, { ...b.entries[4]!, kind: 'note', payload: { text: 'forged' } }), () => 4, /edited|prev_hash/],
    ['a checkpoint signature altered', (b) => { const c = b.checkpoints[1]!; const sig = Buffer.from(c.signature, 'base64'); sig[sig.length - 1]! ^= 1; c.signature = sig.toString('base64'); }, (b) => b.checkpoints[1]!.seq, /signature does not verify/],
    ['a checkpoint removed', (b) => void b.checkpoints.splice(2, 1), (b) => lockSeqWithoutCheckpoint(b), /has no checkpoint/],
    ['a checkpoint moved to another step', (b) => { b.checkpoints[0]!.step = 'sign_out'; }, (b) => b.checkpoints[0]!.seq, /no step_locked entry right after it|challenge/],
    ['a witness code rewritten', (b) => { const e = b.entries[entryIndex(b, 'founder_notified')]!; e.payload.witness_code = 'apple apple apple apple 3'; }, (b) => entryIndex(b, 'founder_notified'), /edited/],
  ];

  it.each(cases)('%s: verification fails at the right seq', (_name, mutate, expectedSeq, reason) => {
    const bundle = parseBundle(pristine);
    mutate(bundle);
    const verdict = verifyBundle(roundTrip(bundle));
    expect(verdict.ok).toBe(false);
    expect(verdict.problem?.seq).toBe(expectedSeq(bundle));
    expect(verdict.problem?.reason).toMatch(reason);
  });

  it('a sign counter that repeats or goes backwards is rejected even with valid signatures (cloned key)', () => {
    const journal = openJournal({ dataDir: tempDir() });
    const id = 'bg-20261121-counter1';
    const key = createSoftwareKey();
    journal.append(id, 'ceremony_started', { type: 'root-login', drill: true });
    lockStep(journal, id, 'scenario', key);
    journal.append(id, 'note', { text: 'between taps' });
    key.setCounter(0); // a clone of the key starts again from its own counter
    lockStep(journal, id, 'notify', key);
    const { bundle } = buildBundle(journal, id, [key.enrolled], new Date());
    journal.close();
    const verdict = verifyBundle(roundTrip(bundle));
    expect(verdict.ok).toBe(false);
    expect(verdict.problem?.seq).toBe(bundle.checkpoints[1]!.seq);
    expect(verdict.problem?.reason).toMatch(/counter went from 1 to 1/);
  });

  it('the CLI: exit 0 and a summary when intact, exit 1 naming the first bad seq, exit 2 for unreadable input', async () => {
    const dir = tempDir();
    const ok = await cli(['verify', bundleFile]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^INTACT \(DRILL\)/);
    expect(ok.out).toContain('5 of 5 verified');
    // Which key signed which steps, and what it is.
    expect(ok.out).toMatch(/key {10}primary \S+… \(.+\): virtual key; signed scenario, notify, sign_in, audit_row, sign_out/);

    const bad = parseBundle(pristine);
    bad.entries[6]!.payload.tampered = true;
    const badFile = path.join(dir, 'bad.bundle.json');
    writeFileSync(badFile, JSON.stringify(bad));
    const fail = await cli(['verify', badFile]);
    expect(fail.code).toBe(1);
    expect(fail.out).toContain('first bad entry: seq 6');

    const inputs: Array<[string, string, RegExp]> = [
      ['not-json.bundle.json', '{"format": "breakglass.bundle", ', /is not JSON/],
      ['other.json', '{"hello": "world"}', /not a Breakglass bundle/],
      ['future.bundle.json', pristine.replace('"format_version": 1', '"format_version": 2'), /format version 2.*reads version 1.*newer/],
      ['truncated.bundle.json', pristine.slice(0, pristine.length / 2), /is not JSON/],
      ['shape.bundle.json', pristine.replace('"drill": true', '"drill": "yes"'), /not a well-formed bundle: at drill/],
    ];
    for (const [name, text, message] of inputs) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const r = await cli(['verify', file]);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(message);
      expect(r.err, name).not.toMatch(/\n\s+at /); // never a stack trace
    }
    const missing = await cli(['verify', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
  });

  it('--trusted-keys pins the reviewer\'s keys: another key fails, the right one passes', async () => {
    const dir = tempDir();
    const bundle = parseBundle(pristine);
    const trusted = path.join(dir, 'trusted.json');
    writeFileSync(trusted, JSON.stringify(bundle.keys));
    expect((await cli(['verify', bundleFile, '--trusted-keys', trusted])).code).toBe(0);

    const other = await cli(['drill', '--data-dir', path.join(dir, 'other'), '--export', path.join(dir, 'other-out')]);
    const otherKeys = parseBundle(readFileSync(other.lastLine, 'utf8')).keys;
    writeFileSync(trusted, JSON.stringify(otherKeys));
    const r = await cli(['verify', bundleFile, '--trusted-keys', trusted]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not a trusted key/);

    writeFileSync(trusted, '[{"credential_id": 1}]');
    const malformed = await cli(['verify', bundleFile, '--trusted-keys', trusted]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/--trusted-keys/);
  });
});
