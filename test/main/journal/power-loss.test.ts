import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { compileShim, cutPower, shimEnv, syncAll, type PowerLossDirs } from '../../support/power-loss/power-loss';
import { seededRandom } from '../../support/mongo-wire-server/index';
import { useTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const ID = 'bg-power-loss-0001';
const CUTS = 30;
const tempDir = useTempDir('breakglass-power-loss-');

let shim = '';
let script = '';

/**
 * Runs the child under the shim until it has reported `acks` steps, SIGKILLs it, and returns
 * every step it reported (a cut-off last line is not a promise).
 */
function runUntil(
  args: string[],
  dirs: PowerLossDirs,
  acks: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), ...shimEnv(shim, dirs), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length - 1 >= acks) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited by itself (${code}): ${err}`));
      resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

/** Power cuts in a loop on one data directory; returns acknowledged appends lost in total. */
async function journalCuts(cuts: number, seed: number, plant?: string): Promise<{ lost: number; acked: number }> {
  const random = seededRandom(seed);
  const dataDir = tempDir();
  const dirs = { watch: dataDir, store: path.join(tempDir(), 'durable') };
  syncAll(dirs);
  let lost = 0;
  let acked = 0;
  let promised = -1;
  for (let i = 0; i < cuts; i++) {
    const reported = await runUntil(
      ['journal', dataDir, ID],
      dirs,
      1 + Math.floor(random() * 25),
      plant ? { BG_PLANT_SYNCHRONOUS: plant } : {},
    );
    acked += reported.length;
    if (reported.length > 0) promised = Math.max(promised, ...reported);
    cutPower(dirs);
    const journal = openJournal({ dataDir });
    const head = journal.head(ID);
    if (head) expect(journal.verify(ID), `after power cut ${i}`).toMatchObject({ ok: true });
    const held = head?.seq ?? -1;
    if (held < promised) {
      lost += promised - held;
      promised = held; // the next run continues from what survived
    }
    journal.close();
    syncAll(dirs); // a clean shutdown between runs: everything on disk is durable
  }
  return { lost, acked };
}

describe.runIf(process.platform === 'linux')('power loss: only fsynced bytes survive (LD_PRELOAD model)', () => {
  // Lives for the whole file (useTempDir's folders go after each test).
  const work = mkdtempSync(path.join(os.tmpdir(), 'breakglass-power-loss-shim-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(() => {
    shim = compileShim(work);
    script = path.join(work, 'power-loss-child.cjs');
    buildSync({
      entryPoints: [path.join(__dirname, 'fixtures/power-loss-child.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
  });

  it(`loses no acknowledged append across ${CUTS} power cuts, and the chain verifies`, async () => {
    const { lost, acked } = await journalCuts(CUTS, 20261205);
    expect(acked).toBeGreaterThan(CUTS);
    expect(lost).toBe(0);
  }, 240_000);

  it('detects a weakened durability setting: with synchronous=NORMAL planted, acknowledged appends are lost', async () => {
    const { lost } = await journalCuts(3, 7);
    expect(lost).toBe(0);
    const planted = await journalCuts(3, 7, 'NORMAL');
    expect(planted.lost).toBeGreaterThan(0);
  }, 120_000);

  it('the drill key state survives a power cut when written durably, and comes back empty without fsync', async () => {
    for (const [mode, expectIntact] of [
      ['state-durable', true],
      ['state-plain', false],
    ] as const) {
      const dataDir = tempDir();
      const dirs = { watch: dataDir, store: path.join(tempDir(), 'durable') };
      syncAll(dirs);
      const reported = await runUntil([mode, dataDir], dirs, 5);
      cutPower(dirs);
      const text = readFileSync(path.join(dataDir, 'virtual-key.drill.json'), 'utf8');
      if (expectIntact)
        expect((JSON.parse(text) as { sign_count: number }).sign_count).toBeGreaterThanOrEqual(Math.max(...reported));
      else expect(text).toBe('');
    }
  }, 120_000);
});
