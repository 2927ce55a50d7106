import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src-main/bundle/build-bundle';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { parseBundle } from '../../../src-main/evidence/parse-bundle';
import { verifyEvidence, type EvidenceReport } from '../../../src-main/evidence/verify-evidence';
import { canonicalize } from '../../../src-shared/canonical-json';
import { builtInConfig } from '../../../src-shared/config/example-config';
import { openJournal } from '../../../src-main/journal/journal';
import type { Bundle } from '../../../src-shared/journal/types';
import { cli } from '../../support/run-cli';
import { createSoftwareKey, lockStep } from '../../support/software-key';
import { useTempDir } from '../../support/temp-dir';
import { valueOf } from '../../support/unwrap-handlers';

type Mutation = (b: Bundle) => void;

/** The first step_locked entry whose checkpoint is no longer in the bundle. */
function lockSeqWithoutCheckpoint(b: Bundle): number {
  const signed = new Set(b.checkpoints.map((c) => c.seq));
  return b.entries.find((e) => e.kind === 'step_locked' && !signed.has(e.seq - 1))!.seq;
}

/** Writes the (edited) bundle in its canonical spelling and verifies it as `breakglass verify` reads it from disk. */
function verifyEdited(bundle: Bundle): EvidenceReport {
  const text = bundleText(
    bundle,
    bundle.entries.map((e) => canonicalize(e.payload)),
  );
  return verifyEvidence(parseBundle(text), { config: builtInConfig(), now: new Date('2026-11-21T12:00:00.000Z') });
}

const fromText = (text: string): Bundle => JSON.parse(text) as Bundle;

describe('an exported bundle (real drill, virtual key) detects tampering', () => {
  const tempDir = useTempDir();
  let pristine = '';
  let bundleFile = '';

  beforeAll(async () => {
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'bg-bundle-'));
    const result = await cli([
      'drill',
      '--data-dir',
      path.join(dir, 'data'),
      '--export',
      path.join(dir, 'out'),
      '--start-time',
      '2026-11-21T09:00:00.000Z',
      '--duration-minutes',
      '25',
      '--action',
      'ran: aws ec2 describe-instances --instance-ids i-0abc',
      '--action',
      'ran: aws ec2 terminate-instances --instance-ids i-0abc',
    ]);
    expect(result.code, result.err).toBe(0);
    bundleFile = result.lastLine;
    pristine = readFileSync(bundleFile, 'utf8');
  });

  it('verifies consistent, with every lock checkpoint and the closing seal signed by the (virtual) key', () => {
    const verdict = verifyEdited(fromText(pristine));
    expect(verdict.findings.map((f) => f.verdict)).toEqual(['ORIGIN NOT VERIFIED']);
    expect(verdict.checkpoints.map((c) => c.step)).toEqual([
      'scenario',
      'notify',
      'sign_in',
      'audit_row',
      'sign_out',
      'seal',
    ]);
    expect(verdict.keys.map((k) => k.authenticator)).toEqual(['virtual key']);
  });

  const entryIndex = (b: Bundle, kind: string) => b.entries.findIndex((e) => e.kind === kind);
  const cases: Array<[string, Mutation, (b: Bundle) => number, RegExp]> = [
    [
      'one byte of a payload edited',
      (b) => {
        const e = b.entries[entryIndex(b, 'action_logged')]!;
        e.payload.text = String(e.payload.text).replace('i-0abc', 'i-0abd');
      },
      (b) => entryIndex(b, 'action_logged'),
      /edited/,
    ],
    ['the last entry deleted', (b) => void b.entries.pop(), (b) => b.entries.length, /removed from the end/],
    [
      'the last entry deleted and the head rewritten to match',
      (b) => {
        b.entries.pop();
        const last = b.entries[b.entries.length - 1]!;
        b.head = { seq: last.seq, hash: last.hash };
      },
      (b) => b.entries.length - 1,
      /seal.*no step_locked entry right after it/,
    ],
    ['a middle entry deleted', (b) => void b.entries.splice(5, 1), () => 5, /seq 5 is missing/],
    [
      'two entries swapped',
      (b) => {
        const t = b.entries[3]!;
        b.entries[3] = b.entries[4]!;
        b.entries[4] = t;
      },
      () => 3,
      /seq 4 appears at position 3|reordered/,
    ],
    [
      'recorded_at changed',
      (b) => {
        b.entries[2]!.recorded_at = '2026-11-21T08:59:00.000Z';
      },
      () => 2,
      /edited/,
    ],
    [
      'an entry inserted',
      (b) => void b.entries.splice(4, 0, { ...b.entries[4]!, kind: 'note', payload: { text: 'forged' } }),
      () => 4,
      /edited|prev_hash/,
    ],
    [
      'a checkpoint signature altered',
      (b) => {
        const c = b.checkpoints[1]!;
        const sig = Buffer.from(c.signature, 'base64');
        sig[sig.length - 1]! ^= 1;
        c.signature = sig.toString('base64');
      },
      (b) => b.checkpoints[1]!.seq,
      /records another signature|signature does not verify/,
    ],
    [
      'a checkpoint removed',
      (b) => void b.checkpoints.splice(2, 1),
      (b) => lockSeqWithoutCheckpoint(b),
      /has no checkpoint/,
    ],
    [
      'a checkpoint moved to another step',
      (b) => {
        b.checkpoints[0]!.step = 'sign_out';
      },
      (b) => b.checkpoints[0]!.seq,
      /no step_locked entry right after it|challenge/,
    ],
    [
      'a witness code rewritten',
      (b) => {
        const e = b.entries[entryIndex(b, 'founder_notified')]!;
        e.payload.witness_code = 'apple apple apple apple 3';
      },
      (b) => entryIndex(b, 'founder_notified'),
      /edited/,
    ],
  ];

  it.each(cases)('%s: verification fails at the right seq', (_name, mutate, expectedSeq, reason) => {
    const bundle = fromText(pristine);
    mutate(bundle);
    const verdict = verifyEdited(bundle);
    expect(verdict.verdict).toBe('TAMPERED');
    expect(verdict.findings[0]?.seq).toBe(expectedSeq(bundle));
    expect(verdict.findings[0]?.reason).toMatch(reason);
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
    const { bundle } = valueOf(buildBundle(journal, id, [key.enrolled], new Date()));
    journal.close();
    const verdict = verifyEdited(bundle);
    expect(verdict.verdict).toBe('TAMPERED');
    expect(verdict.findings[0]?.seq).toBe(bundle.checkpoints[1]!.seq);
    expect(verdict.findings[0]?.reason).toMatch(/counter went from 1 to 1/);
  });

  it('the CLI: a verdict line and its exit code, the first bad seq named, exit 2 for unreadable input', async () => {
    const dir = tempDir();
    const ok = await cli(['verify', bundleFile]);
    expect(ok.code).toBe(5);
    expect(ok.out).toMatch(/^ORIGIN NOT VERIFIED \(DRILL\)/);
    expect(ok.out).toContain('checkpoints  6: scenario (touched)');
    // Which key signed which steps, and what it is.
    expect(ok.out).toMatch(
      /key {10}primary \S+… \(.+\): virtual key; signed scenario, notify, sign_in, audit_row, sign_out, seal/,
    );

    const bad = fromText(pristine);
    bad.entries[6]!.payload.tampered = true;
    const badFile = path.join(dir, 'bad.bundle.json');
    writeFileSync(
      badFile,
      bundleText(
        bad,
        bad.entries.map((e) => canonicalize(e.payload)),
      ),
    );
    const fail = await cli(['verify', badFile]);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/TAMPERED +seq 6: hash does not match/);

    const inputs: Array<[string, string, RegExp]> = [
      ['not-json.bundle.json', '{"format": "breakglass.bundle", ', /is not JSON/],
      ['other.json', '{"hello": "world"}', /not a Breakglass bundle/],
      [
        'future.bundle.json',
        pristine.replace('"format_version": 2', '"format_version": 3'),
        /format version 3.*reads version 2.*newer/,
      ],
      [
        'format-1.bundle.json',
        pristine.replace('"format_version": 2', '"format_version": 1'),
        /format-1 bundle.*Export the ceremony again/,
      ],
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
    expect(missing.err).toMatch(/does not exist|no such file/);
  });

  it("--trusted-keys pins the reviewer's keys: another key fails, the right one passes, a bare key list is refused", async () => {
    const dir = tempDir();
    const dataDir = path.join(path.dirname(path.dirname(bundleFile)), 'data');
    const trusted = path.join(dir, 'trusted.json');
    expect((await cli(['key', 'export-trust', '--drill', '--data-dir', dataDir, '--out', trusted])).code).toBe(0);
    const pinned = await cli(['verify', bundleFile, '--trusted-keys', trusted]);
    expect(pinned.code).toBe(6);
    expect(pinned.out).toMatch(/^DRILL INTACT/);

    const other = await cli([
      'drill',
      '--data-dir',
      path.join(dir, 'other'),
      '--export',
      path.join(dir, 'other-out'),
      '--start-time',
      '2026-11-21T09:00:00.000Z',
    ]);
    expect(other.code, other.err).toBe(0);
    const otherTrust = path.join(dir, 'other-trust.json');
    expect(
      (await cli(['key', 'export-trust', '--drill', '--data-dir', path.join(dir, 'other'), '--out', otherTrust])).code,
    ).toBe(0);
    const r = await cli(['verify', bundleFile, '--trusted-keys', otherTrust]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not a pinned key/);

    writeFileSync(trusted, JSON.stringify(fromText(pristine).keys));
    const bare = await cli(['verify', bundleFile, '--trusted-keys', trusted]);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/not a trusted-keys file/);
  });
});
