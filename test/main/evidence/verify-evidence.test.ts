import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/run-cli';
import { copyOf, genuineCeremony, NOW, verifyFile, type Genuine } from './fixture';
import { VERDICT_EXITS } from '../../../src-main/cli/verdict-exits';

let g: Genuine;
beforeAll(async () => {
  g = await genuineCeremony();
});
afterAll(() => g.recorded.close());

describe('verify: what an honest ceremony gets', () => {
  it('a sealed real ceremony with its pinned keys and both written codes is INTACT, exit 0', async () => {
    const r = verifyFile(g.bundle, { trust: g.trust, witnesses: [g.notifyCode, g.finalCode.toUpperCase()] });
    expect(r.findings).toEqual([]);
    expect(r.verdict).toBe('INTACT');
    expect(r.unsigned).toBeNull();
    expect(r.witnesses.checked.map((c) => c.matched)).toEqual(['notify', 'final']);
    const run = await cli(
      ['verify', g.bundle, '--trusted-keys', g.trust, '--witness', g.notifyCode, '--witness', g.finalCode],
      NOW,
    );
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toMatch(/^INTACT: bg-/);
    expect(run.out).toContain(`fingerprint "`);
  });

  it('the same bundle without pins is ORIGIN NOT VERIFIED, exit 5, and says so', async () => {
    const r = verifyFile(g.bundle);
    expect(r.verdict).toBe('ORIGIN NOT VERIFIED');
    const run = await cli(['verify', g.bundle], NOW);
    expect(run.code).toBe(VERDICT_EXITS['ORIGIN NOT VERIFIED']);
    expect(run.out).toMatch(/witnesses\s+not checked/);
  });

  it('entries after the last tap (no seal) are listed as unsigned and the verdict is INCOMPLETE', async () => {
    const file = copyOf(g);
    const { readBundleJson, rechain, writeBundleJson } = await import('../../support/forger');
    const b = readBundleJson(file);
    b.entries = b.entries.slice(0, -1); // the seal's step_locked: the note before it is now after the last tap
    b.checkpoints = b.checkpoints.filter((c) => c.step !== 'seal');
    b.entries.push({ ...b.entries.at(-1)!, kind: 'note', payload: { text: 'root password rotated, signed off' } });
    writeBundleJson(file, rechain(b));
    const r = verifyFile(file, { trust: g.trust });
    expect(r.verdict).toBe('INCOMPLETE');
    expect(r.unsigned).toEqual({ from: b.entries.length - 1, to: b.entries.length - 1 });
  });
});

describe('verify: drills', () => {
  it('an intact drill is DRILL INTACT with its own exit code, never INTACT', async () => {
    const d = await genuineCeremony({ drill: true });
    try {
      const r = verifyFile(d.bundle, { trust: d.trust });
      expect(r.drill).toBe(true);
      expect(r.verdict).toBe('DRILL INTACT');
      const run = await cli(['verify', d.bundle, '--trusted-keys', d.trust], NOW);
      expect(run.code).toBe(6);
      expect(run.code).not.toBe(0);
    } finally {
      d.recorded.close();
    }
  });
});
