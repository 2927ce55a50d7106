import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInConfig } from '../../../src-shared/config/example-config';
import type { Bundle } from '../../../src-shared/journal/types';
import { BundleReadError, parseBundle } from '../../../src-main/evidence/parse-bundle';
import { readTrustFile } from '../../../src-main/evidence/read-evidence';
import { renderVerdict } from '../../../src-main/cli/render-verdict';
import { verifyEvidence, type EvidenceReport } from '../../../src-main/evidence/verify-evidence';
import { rechain, resign, writeBundleJson } from '../../support/forger';
import { seededRng } from '../../support/seeded-rng';
import { createSoftwareKey } from '../../support/software-key';
import { genuineCeremony, NOW, type Genuine } from './fixture';
import { forgedFile, loadGenuine, removeForged } from './forge-helpers';

/*
 * Property: a single random edit to any field of the genuine bundle (entries and their payload
 * values, checkpoints, keys, head, the top level), optionally followed by a rechain and/or a
 * re-sign with a freshly made key and written in the canonical spelling, never verifies INTACT
 * with the genuine pins and both witness codes. The only edits allowed to stay INTACT are those
 * to fields the threat model lists as bound by nothing and never shown as facts (exported_at, a
 * checkpoint's created_at, a key record's descriptive fields when the key is pinned, the order of
 * the checkpoint list), and then the rendered verdict must be byte-identical to the genuine one's.
 */

const CASES = 330;
const SEED = 0x12c0ffee;

type Path = Array<string | number>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let g: Genuine;
let genuine: Bundle;
let genuineLines: string[];
let genuineText: string;
let options: Parameters<typeof verifyEvidence>[1];

beforeAll(async () => {
  g = await genuineCeremony();
  genuine = loadGenuine(g);
  genuineText = readFileSync(g.bundle, 'utf8');
  options = {
    trust: readTrustFile(g.trust),
    witnesses: [g.notifyCode, g.finalCode],
    config: builtInConfig(),
    now: NOW,
  };
  const r = verifyEvidence(parseBundle(readFileSync(g.bundle), g.bundle), options);
  expect(r.verdict).toBe('INTACT');
  genuineLines = renderVerdict(r, { rulesSource: 'random edits' });
});
afterAll(() => {
  g.recorded.close();
  rmSync(g.dir, { recursive: true, force: true });
  removeForged();
});

function leaves(v: Json, path: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
    else for (const k of Object.keys(v)) leaves(v[k]!, [...path, k], out);
  } else out.push(path);
  return out;
}

function containers(v: Json, path: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object') {
    out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => containers(x, [...path, i], out));
    else for (const k of Object.keys(v)) containers(v[k]!, [...path, k], out);
  }
  return out;
}

function get(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
}

function set(root: Json, path: Path, value: Json): void {
  const parent = get(root, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path.at(-1)!] = value;
}

type Rng = ReturnType<typeof seededRng>;

function mutateLeaf(v: Json, rng: Rng, pool: string[]): Json {
  if (typeof v === 'boolean') return !v;
  if (v === null) return rng.pick(['x', 0, false, {}]);
  if (typeof v === 'number') return rng.pick([v + 1, v - 1, 0, v * 2 + 1, v + 1000, -1]);
  const s = v as string;
  switch (rng.int(6)) {
    case 0:
      return `${s}x`;
    case 1: {
      if (!s) return 'x';
      const i = rng.int(s.length);
      const alphabet = /^[0-9a-f]+$/.test(s)
        ? '0123456789abcdef'
        : 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+/=-_ :.';
      let c = s[i]!;
      while (c === s[i]) c = alphabet[rng.int(alphabet.length)]!;
      return s.slice(0, i) + c + s.slice(i + 1);
    }
    case 2:
      return '';
    case 3:
      return rng.pick(pool);
    case 4:
      return s.toUpperCase() === s ? s.toLowerCase() : s.toUpperCase();
    default:
      return s.slice(0, Math.max(0, s.length - 1 - rng.int(Math.max(1, s.length))));
  }
}

/** One edit, described; returns null when the chosen edit would change nothing. */
function edit(b: Json, rng: Rng, pool: string[]): string | null {
  if (rng.int(10) < 7) {
    const all = leaves(b);
    const path = rng.pick(all);
    const before = get(b, path);
    const after = mutateLeaf(before, rng, pool);
    if (JSON.stringify(after) === JSON.stringify(before)) return null;
    set(b, path, after);
    return `set ${path.join('.')} from ${JSON.stringify(before).slice(0, 60)} to ${JSON.stringify(after).slice(0, 60)}`;
  }
  const path = rng.pick(containers(b));
  const c = get(b, path);
  if (Array.isArray(c)) {
    if (c.length === 0) {
      c.push('x');
      return `push into empty ${path.join('.')}`;
    }
    const i = rng.int(c.length);
    switch (rng.int(3)) {
      case 0:
        c.splice(i, 1);
        return `delete ${[...path, i].join('.')}`;
      case 1:
        c.splice(i, 0, structuredClone(c[i]!));
        return `duplicate ${[...path, i].join('.')}`;
      default: {
        const j = rng.int(c.length);
        if (JSON.stringify(c[i]) === JSON.stringify(c[j])) return null;
        [c[i], c[j]] = [c[j]!, c[i]!];
        return `swap ${[...path, i].join('.')} and ${j}`;
      }
    }
  }
  const o = c as Record<string, Json>;
  const keys = Object.keys(o);
  if (keys.length && rng.int(2) === 0) {
    const k = rng.pick(keys);
    delete o[k];
    return `delete member ${[...path, k].join('.')}`;
  }
  o[`extra_${rng.int(100)}`] = rng.pick(['x', 1, true, null]);
  return `add a member to ${path.join('.') || '(top level)'}`;
}

/** Fields bound by nothing and never printed as facts: an edit there may stay INTACT, showing nothing new. */
function unboundEdit(description: string): boolean {
  return (
    /^set exported_at /.test(description) ||
    /^set checkpoints\.\d+\.created_at /.test(description) ||
    /^set keys\.0\.(operator|label|aaguid|fmt|enrolled_at|att_stmt|enrolment_authenticator_data|enrolment_client_data_hash)\b/.test(
      description,
    ) ||
    /^swap checkpoints\.\d+ and \d+$/.test(description)
  );
}

function verdictOf(file: string): { verdict: string; report?: EvidenceReport } {
  try {
    const report = verifyEvidence(parseBundle(readFileSync(file), file), options);
    return { verdict: report.verdict, report };
  } catch (error) {
    if (error instanceof BundleReadError) return { verdict: 'UNREADABLE' };
    throw error;
  }
}

describe('random single edits never verify INTACT', () => {
  it(`${CASES} seeded edits (seed ${SEED.toString(16)}), each optionally rechained and/or re-signed with a fresh key`, () => {
    const pool = [
      ...new Set(
        leaves(genuine as unknown as Json)
          .map((p) => get(genuine as unknown as Json, p))
          .filter((v): v is string => typeof v === 'string'),
      ),
    ];
    const tally: Record<string, number> = {};
    let done = 0;
    for (let i = 0; done < CASES; i++) {
      const seed = SEED + i;
      const rng = seededRng(seed);
      const b = structuredClone(genuine) as unknown as Json;
      const description = edit(b, rng, pool);
      if (!description) continue;
      const finish = rng.pick(['none', 'none', 'rechain', 'resign', 'rechain+resign'] as const);
      const bundle = b as unknown as Bundle;
      try {
        if (finish.includes('rechain')) rechain(bundle);
        if (finish.includes('resign')) {
          const key = createSoftwareKey({ rpId: 'breakglass.local', operator: 'taha@example.com' });
          resign(bundle, key);
        }
      } catch {
        continue; // the edit left nothing the forger can rechain (a missing entry field): not a forgery
      }
      const file = forgedFile();
      try {
        writeBundleJson(file, bundle);
      } catch {
        continue; // not writable as a bundle at all
      }
      // Nothing changed in the file: a rechain recomputed the edited hash or seq, or the canonical
      // writer (which writes an entry's seven members only) dropped an added entry member.
      if (readFileSync(file, 'utf8') === genuineText) {
        rmSync(file, { force: true });
        continue;
      }
      const context = `seed ${seed} (0x${seed.toString(16)}): ${description}, then ${finish}`;
      let result: ReturnType<typeof verdictOf>;
      try {
        result = verdictOf(file);
      } catch (error) {
        throw new Error(`the verifier crashed on ${context}: ${(error as Error).stack}`);
      } finally {
        rmSync(file, { force: true });
      }
      done++;
      tally[result.verdict] = (tally[result.verdict] ?? 0) + 1;
      expect(result.verdict, context).not.toBe('DRILL INTACT');
      if (result.verdict === 'INTACT') {
        expect(
          unboundEdit(description) && finish !== 'resign' && finish !== 'rechain+resign',
          `INTACT after ${context}`,
        ).toBe(true);
        expect(
          renderVerdict(result.report!, { rulesSource: 'random edits' }),
          `INTACT after ${context} shows something new`,
        ).toEqual(genuineLines);
      }
    }
    expect(done).toBe(CASES);
    // Most edits are caught outright; the spread shows the edits reach every stage of the verifier.
    expect(tally.TAMPERED ?? 0).toBeGreaterThan(CASES / 3);
    console.log(`random edits: ${JSON.stringify(tally)}`);
  }, 600_000);
});
