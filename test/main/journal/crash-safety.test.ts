import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const KILLS = 200;
const ID = 'bg-crash-test-0001';

/** Reports the append loop makes before its random kill delay starts (see the last assertion). */
const REPORTS_BEFORE_DELAY = 2;

/**
 * Runs the child, SIGKILLs it at a random moment and returns the seqs it reported. The moment
 * is counted from spawn (kills during start-up and open/migrate) or from its second reported
 * append (kills in the append loop), so a slow, loaded machine still gets mid-append kills.
 * The random delay is the point: every assertion holds whatever it turns out to be.
 */
function runAndKill(
  script: string,
  dataDir: string,
  delayMs: number,
  from: 'spawn' | 'first-append',
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir, ID], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer = from === 'spawn' ? setTimeout(() => child.kill('SIGKILL'), delayMs) : undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length > REPORTS_BEFORE_DELAY) timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited by itself (${code}): ${err}`));
      // A partial last line is an append whose report was cut off; it is not counted as promised.
      resolve(out.split('\n').slice(0, -1).map(Number));
    });
  });
}

describe('crash safety', () => {
  const tempDir = useTempDir();
  let script = '';

  beforeAll(() => {
    script = path.join(ROOT, 'node_modules/.cache/breakglass-test/append-loop.cjs');
    buildSync({
      entryPoints: [path.join(__dirname, 'fixtures/append-loop.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
  });

  it(`keeps every append that returned across ${KILLS} SIGKILLs, and the chain verifies`, async () => {
    const dataDir = tempDir();
    let promised = -1;
    let totalReported = 0;
    for (let i = 0; i < KILLS; i++) {
      // One kill in five during start-up and open/migrate, the rest inside the append loop.
      const reported =
        i % 5 === 0
          ? await runAndKill(script, dataDir, Math.floor(Math.random() * 150), 'spawn')
          : await runAndKill(script, dataDir, Math.floor(Math.random() * 40), 'first-append');
      totalReported += reported.length;
      if (reported.length > 0) promised = Math.max(promised, ...reported);
      const journal = openJournal({ dataDir });
      const verdict = journal.verify(ID);
      const head = journal.head(ID);
      journal.close();
      if (promised >= 0) {
        expect(verdict, `after kill ${i}`).toMatchObject({ ok: true });
        // Everything reported as appended is there (the journal may hold one more whose report was cut off).
        expect(head!.seq, `after kill ${i}`).toBeGreaterThanOrEqual(promised);
      }
    }
    // Most kills landed while appends were returning (a kill before any append proves little):
    // four runs in five report at least REPORTS_BEFORE_DELAY appends before their delay starts,
    // so this holds however slow the machine is.
    expect(totalReported).toBeGreaterThanOrEqual(KILLS * (4 / 5) * REPORTS_BEFORE_DELAY);
  }, 600_000); // a hang guard: about 40 s on a busy machine
});
