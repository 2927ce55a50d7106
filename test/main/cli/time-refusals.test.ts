import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CLOCK } from '../../../src-main/cli/command';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

const tempDir = useTempDir('breakglass-time-');

describe('time never runs backwards in a ceremony', () => {
  it('drill --start-time refuses a day the month does not have', async () => {
    const dir = tempDir();
    const r = await cli([
      'drill',
      '--data-dir',
      path.join(dir, 'data'),
      '--export',
      path.join(dir, 'out'),
      '--start-time',
      '2026-02-30T10:00:00Z',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'breakglass drill: --start-time: 2026-02 has no day 30 (it has 28 days); got "2026-02-30T10:00:00Z"',
    );
  });

  it('reconcile --attach after a drill whose simulated clock ran ahead is refused, naming the system clock', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    // The simulated clock starts in 2099: every entry is later than the machine's clock.
    const drill = await cli([
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      path.join(dir, 'out'),
      '--start-time',
      '2099-05-20T13:00:00Z',
    ]);
    expect(drill.code, drill.err).toBe(0);
    const trail = path.join(dir, 'trail.json');
    writeFileSync(trail, JSON.stringify({ Events: [] }));
    // Read today, the bundle itself is refused: its entries lie in the verifier's future.
    const today = await cli([
      'reconcile',
      '--bundle',
      drill.lastLine,
      '--cloudtrail',
      trail,
      '--attach',
      '--data-dir',
      dataDir,
    ]);
    expect(today.err).toMatch(
      /verifies as RULES BROKEN \(seq 0: recorded_at 2099-05-20T13:00:00\.000Z is after this verifier's clock/,
    );
    // With a reviewer's clock past 2099 the bundle reads; the attach is still refused by the journal's clock guard.
    const r = await cli(
      ['reconcile', '--bundle', drill.lastLine, '--cloudtrail', trail, '--attach', '--data-dir', dataDir],
      new Date('2100-01-01T00:00:00Z'),
    );
    expect(r.err).toMatch(
      /^breakglass reconcile: the system clock reads \d{4}-\d\d-\d\dT[\d:.]+Z, earlier than the last entry of ceremony \S+ \(seq \d+, recorded at 2099-05-20T[\d:.]+Z\); nothing was written\. Set the system clock right/,
    );
    expect(r.code).toBe(EXIT_CLOCK);
  });
});
