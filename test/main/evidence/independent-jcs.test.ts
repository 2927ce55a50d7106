import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../../src-shared/journal/types';
import { genuineCeremony, type Genuine } from './fixture';

/*
 * The docs promise that a verifier in any language reproduces every hash from the bundle alone
 * (docs/journal-format.md). Here an independent RFC 8785 implementation (the `canonicalize` npm
 * package, used in tests only) recomputes them from the exported file as written to disk.
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

let g: Genuine;
let text: string;
let bundle: Bundle;
beforeAll(async () => {
  g = await genuineCeremony();
  text = readFileSync(g.bundle, 'utf8');
  bundle = JSON.parse(text) as Bundle;
});
afterAll(() => {
  g.recorded.close();
  rmSync(g.dir, { recursive: true, force: true });
});

describe('the exported bundle under an independent RFC 8785 implementation', () => {
  it('has entries, checkpoints of every lock and a key to check', () => {
    expect(bundle.entries.length).toBeGreaterThan(10);
    expect(bundle.checkpoints.map((c) => c.step)).toEqual([
      'scenario',
      'notify',
      'sign_in',
      'audit_row',
      'sign_out',
      'seal',
    ]);
  });

  it("every entry's payload, as spelled in the file, is byte-identical to its canonical form", () => {
    const lines = text.split('\n').filter((l) => l.startsWith('    {"ceremony_id":') && l.includes('"kind":'));
    expect(lines).toHaveLength(bundle.entries.length);
    lines.forEach((line, i) => {
      const e = bundle.entries[i]!;
      const canonical = canonicalize(e.payload)!;
      // The payload text sits between `"payload":` and `,"recorded_at":` on the entry's line.
      const start = line.indexOf('"payload":') + '"payload":'.length;
      const end = line.lastIndexOf(',"recorded_at":');
      expect(line.slice(start, end), `seq ${e.seq}`).toBe(canonical);
    });
  });

  it('every entry hash is SHA-256 of the canonical {ceremony_id, seq, kind, payload, recorded_at, prev_hash}, and the chain and head agree', () => {
    let prev = '0'.repeat(64);
    for (const e of bundle.entries) {
      const expected = sha256(
        canonicalize({
          ceremony_id: e.ceremony_id,
          seq: e.seq,
          kind: e.kind,
          payload: e.payload,
          recorded_at: e.recorded_at,
          prev_hash: e.prev_hash,
        })!,
      );
      expect(e.hash, `seq ${e.seq}`).toBe(expected);
      expect(e.prev_hash, `seq ${e.seq}`).toBe(prev);
      prev = e.hash;
    }
    expect(bundle.head).toEqual({ seq: bundle.entries.at(-1)!.seq, hash: prev });
  });

  it("every checkpoint's client_data_hash is SHA-256 of the canonical {ceremony_id, seq, head_hash, step}, over the entry it signs", () => {
    for (const c of bundle.checkpoints) {
      expect(c.client_data_hash, `checkpoint ${c.step}`).toBe(
        sha256(canonicalize({ ceremony_id: c.ceremony_id, seq: c.seq, head_hash: c.head_hash, step: c.step })!),
      );
      expect(bundle.entries[c.seq]!.hash).toBe(c.head_hash);
      const lock = bundle.entries[c.seq + 1]!;
      expect(lock.kind).toBe('step_locked');
      expect((lock.payload.checkpoint as { client_data_hash: string }).client_data_hash).toBe(c.client_data_hash);
    }
  });

  it('the member order of the canonical form is the UTF-16 order RFC 8785 asks for (a sanity check of the library itself)', () => {
    expect(canonicalize({ b: 1, a: [1e30, 0.002, -0], '\u20ac': 'x', '\r': 'y' })).toBe(
      '{"\\r":"y","a":[1e+30,0.002,0],"b":1,"€":"x"}',
    );
  });
});
