import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { witnessFromSignature } from '../../../src-shared/ceremony/witness-code';
import type { Bundle, Checkpoint, JournalEntry } from '../../../src-shared/journal/types';
import { entryHash } from '../../../src-main/journal/entry-hash';
import type { SoftwareKey } from '../../support/software-key';
import { readBundleJson, rechain, resign, writeBundleJson } from '../../support/forger';
import { genuineCeremony, type Genuine } from './fixture';
import { afterAll, beforeAll } from 'vitest';

/**
 * Red-team helpers on top of test/support/forger.ts: every forgery starts from a copy of the
 * genuine bundle, is edited the way the public docs allow, and is written back in the one
 * canonical spelling (a careful forger does), so only the check under test can catch it.
 */
let forgedRoot: string | undefined;

export function forgedFile(name = 'forged.bundle.json'): string {
  forgedRoot ??= mkdtempSync(path.join(os.tmpdir(), 'bg-redteam-'));
  return path.join(mkdtempSync(path.join(forgedRoot, 'f-')), name);
}

/** Removes every forged file this test file wrote (call from afterAll). */
export function removeForged(): void {
  if (forgedRoot) rmSync(forgedRoot, { recursive: true, force: true });
  forgedRoot = undefined;
}

export function loadGenuine(g: Genuine): Bundle {
  return readBundleJson(g.bundle);
}

export type Finish = 'none' | 'rechain' | { resign: SoftwareKey };

/** Edits a copy of the genuine bundle, then rechains / re-signs it, and writes it canonically. */
export function forge(
  g: Genuine,
  edit: (b: Bundle) => void,
  finish: Finish = 'rechain',
): { file: string; bundle: Bundle } {
  const b = loadGenuine(g);
  edit(b);
  if (finish === 'rechain') rechain(b);
  else if (finish !== 'none') resign(b, finish.resign);
  const file = forgedFile();
  writeBundleJson(file, b);
  return { file, bundle: b };
}

/** The entry whose running-log text contains `needle`. */
export function logEntry(b: Bundle, needle: string): JournalEntry {
  const e = b.entries.find((x) => x.kind === 'action_logged' && String(x.payload.text).includes(needle));
  if (!e) throw new Error(`no running-log line with "${needle}"`);
  return e;
}

/** terminate-instances -> describe-instances in the running log (payload text and parsed call). */
export function hideTermination(b: Bundle): void {
  const e = logEntry(b, 'terminate-instances');
  e.payload = {
    ...e.payload,
    text: String(e.payload.text).replace('terminate-instances', 'describe-instances'),
    parsed: [
      {
        event_source: 'ec2.amazonaws.com',
        iam_action: 'ec2:DescribeInstances',
        operation: 'DescribeInstances',
        read_only: true,
        service: 'ec2',
      },
    ],
  };
}

/**
 * Like forger.resign, but the witness fields of founder_notified entries are left exactly as the
 * edit made them (forger.resign recomputes them), and the entry hash can be computed by another
 * implementation (an attacker using an RFC 8785 library rather than this project's code).
 */
export function resignKeepingWitness(
  bundle: Bundle,
  key: SoftwareKey,
  hash: (e: Omit<JournalEntry, 'hash'>) => string = entryHash,
): Bundle {
  return resign(bundle, key, { recomputeWitness: false, hash });
}

/** The witness code of the checkpoint at `seq` (what founders would have been told). */
export function codeOf(cp: Checkpoint): string {
  return witnessFromSignature({ seq: cp.seq, head_hash: cp.head_hash, signature: cp.signature })!.text;
}

/** P-256 group order. */
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

function derInt(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** The same ECDSA signature respelled as (r, n - s): valid wherever the original is. */
export function respellSignature(base64: string): string {
  const der = Buffer.from(base64, 'base64');
  let at = 2;
  const read = () => {
    const len = der[at + 1]!;
    const v = BigInt(`0x${der.subarray(at + 2, at + 2 + len).toString('hex')}`);
    at += 2 + len;
    return v;
  };
  const r = read();
  const s = read();
  const body = Buffer.concat([derInt(r), derInt(N - s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

export function writeText(file: string, text: string): void {
  writeFileSync(file, text);
}

/** One genuine ceremony for a test file: recorded before its tests, closed and removed (with every forgery) after. */
export function useGenuineCeremony(set: (g: Genuine) => void): void {
  let genuine: Genuine | undefined;
  beforeAll(async () => {
    genuine = await genuineCeremony();
    set(genuine);
  });
  afterAll(() => {
    genuine?.recorded.close();
    if (genuine) rmSync(genuine.dir, { recursive: true, force: true });
    removeForged();
  });
}
