import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalize } from '../../src-shared/canonical-json';
import { witnessFromSignature } from '../../src-shared/ceremony/witness-code';
import type { Bundle, Checkpoint, JournalEntry } from '../../src-shared/journal/types';
import { bundleText } from '../../src-main/evidence/bundle-text';
import { entryHash } from '../../src-main/journal/entry-hash';
import { checkpointChallenge } from '../../src-main/journal/checkpoint-challenge';
import { GENESIS_PREV_HASH } from '../../src-shared/journal/types';
import type { SoftwareKey } from './software-key';

/**
 * What an outsider can do with the public docs (docs/journal-format.md, docs/threat-model.md):
 * edit a bundle, recompute every hash, and, holding some key, re-sign every lock and recompute
 * the witness codes from the new signatures. Red-team tests build their forgeries with this.
 */
export function readBundleJson(file: string): Bundle {
  return JSON.parse(readFileSync(file, 'utf8')) as Bundle;
}

/** Writes a bundle in its one canonical spelling (a careful forger does). */
export function writeBundleJson(file: string, bundle: Bundle): void {
  writeFileSync(
    file,
    bundleText(
      bundle,
      bundle.entries.map((e) => canonicalize(e.payload)),
    ),
  );
}

/** Recomputes seq, prev_hash and hash of every entry and the head, as the journal format documents. */
export function rechain(bundle: Bundle): Bundle {
  let prev = GENESIS_PREV_HASH;
  bundle.entries.forEach((e, i) => {
    e.seq = i;
    e.prev_hash = prev;
    e.hash = entryHash({
      ceremony_id: e.ceremony_id,
      seq: e.seq,
      kind: e.kind,
      payload: e.payload,
      recorded_at: e.recorded_at,
      prev_hash: e.prev_hash,
    });
    prev = e.hash;
  });
  const last = bundle.entries.at(-1);
  bundle.head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_PREV_HASH };
  return bundle;
}

/**
 * Re-signs the whole history with `key` in one pass: every step_locked entry gets a fresh
 * checkpoint over the (re-hashed) entry before it, every witness code is recomputed from the new
 * signature it names, and the bundle's keys become `key` alone. This is what a key holder (or
 * anyone with a key of their own) can do offline; only pins and written witness codes stop it.
 */
export function resign(
  bundle: Bundle,
  key: SoftwareKey,
  options: {
    /** false: leave founder_notified witness fields as the edit made them. */
    recomputeWitness?: boolean;
    /** The entry hash as another implementation computes it (an attacker's RFC 8785 library). */
    hash?: (e: Omit<JournalEntry, 'hash'>) => string;
  } = {},
): Bundle {
  const checkpoints: Checkpoint[] = [];
  const hash = options.hash ?? entryHash;
  let prev = GENESIS_PREV_HASH;
  const rehash = (e: JournalEntry, i: number) => {
    e.seq = i;
    e.prev_hash = prev;
    e.hash = hash({
      ceremony_id: e.ceremony_id,
      seq: e.seq,
      kind: e.kind,
      payload: e.payload,
      recorded_at: e.recorded_at,
      prev_hash: e.prev_hash,
    });
    prev = e.hash;
  };
  bundle.entries.forEach((e, i) => {
    if (e.kind === 'step_locked' && i > 0) checkpoints.push(signLock(bundle, i, key));
    if (options.recomputeWitness !== false && e.kind === 'founder_notified' && e.payload.witness_from === 'signature') {
      const cp = checkpoints.find((c) => c.seq === e.payload.witness_seq) ?? checkpoints.at(-1);
      if (cp) {
        const code = witnessFromSignature({ seq: cp.seq, head_hash: cp.head_hash, signature: cp.signature })!;
        e.payload = { ...e.payload, witness_code: code.text, witness_seq: cp.seq, witness_head_hash: cp.head_hash };
      }
    }
    rehash(e, i);
  });
  bundle.checkpoints = checkpoints;
  bundle.keys = [key.enrolled];
  bundle.head = { seq: bundle.entries.at(-1)!.seq, hash: bundle.entries.at(-1)!.hash };
  return bundle;
}

/**
 * Signs the step_locked entry at `index` afresh with `key`: a checkpoint over the (already
 * re-hashed) entry before it, recorded in the lock's payload the way ceremony-service does.
 */
export function signLock(bundle: Bundle, index: number, key: SoftwareKey): Checkpoint {
  const e = bundle.entries[index]!;
  const head = bundle.entries[index - 1]!;
  const step = String(e.payload.step);
  const cdh = checkpointChallenge({ ceremony_id: bundle.ceremony_id, seq: head.seq, head_hash: head.hash, step });
  const signed = key.sign(cdh);
  const cp: Checkpoint = {
    ceremony_id: bundle.ceremony_id,
    seq: head.seq,
    head_hash: head.hash,
    step,
    client_data_hash: cdh.toString('hex'),
    credential_id: key.enrolled.credential_id,
    ...signed,
    created_at: e.recorded_at,
  };
  e.payload = {
    step,
    checkpoint: {
      seq: cp.seq,
      head_hash: cp.head_hash,
      credential_id: cp.credential_id,
      sign_count: cp.sign_count,
      client_data_hash: cp.client_data_hash,
      signature: cp.signature,
    },
  };
  return cp;
}
