import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { listEnrolledKeys } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { useTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.cjs');
const tempDir = useTempDir('breakglass-concurrent-');

function run(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, err }));
  });
}

describe('several processes starting on one fresh data directory', () => {
  it('drills started together all succeed: one drill key, enrolled once, its counter never seen going back', async () => {
    expect(existsSync(CLI), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const runs = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        run([
          'drill',
          '--data-dir',
          dataDir,
          '--export',
          path.join(dir, `out${i}`),
          '--start-time',
          `2026-05-20T1${i}:00:00Z`,
        ]),
      ),
    );
    for (const r of runs) expect(r, r.err).toMatchObject({ code: 0 });
    const journal = openJournal({ dataDir });
    expect(listEnrolledKeys(journal.db)).toHaveLength(1);
    const ceremonies = journal.ceremonies();
    expect(ceremonies).toHaveLength(5);
    for (const c of ceremonies) expect(journal.verify(c.ceremony_id)).toMatchObject({ ok: true });
    journal.close();
  }, 120_000);
});
