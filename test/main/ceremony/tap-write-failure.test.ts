import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock, softwareSigner } from './service-fixture';

const tempDir = useTempDir('breakglass-tap-write-');

describe('a tap whose signed step cannot be written', () => {
  it('a full disk is named as such, not as "the journal changed during the tap", and the step stays open', async () => {
    const clock = manualClock();
    const key = softwareSigner();
    const { service, journal } = makeService(tempDir(), { clock, signer: key.signer });
    const started = await service.start({ type: 'root-login', drill: true });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.ceremony_id;
    expect((await service.selectScenario(id, SSO_DOWN)).ok).toBe(true);
    // The checkpoint row cannot be written, as on a full disk (SQLite's own words).
    journal.db.exec(
      "CREATE TEMP TRIGGER full BEFORE INSERT ON main.checkpoints BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    const before = journal.entries(id).length;
    const r = await service.lockStep(id, { step: 'scenario' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(
      'The key tap did not lock "scenario" (disk-full): the disk is full, so the signed step could not be written; nothing already recorded was lost; free some space and tap again. The step stays open; tap again.',
    );
    const after = journal.entries(id);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ kind: 'tap_failed', payload: { step: 'scenario', code: 'disk-full' } });

    // When not even the failure can be written, the answer still comes back, saying so.
    journal.db.exec(
      "CREATE TEMP TRIGGER full2 BEFORE INSERT ON main.entries BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    const again = await service.lockStep(id, { step: 'scenario' });
    expect(again.ok).toBe(false);
    if (!again.ok)
      expect(again.error.message).toMatch(
        /\(disk-full\).*\(This failed tap could not be journalled either: disk-full\.\)$/,
      );
    journal.db.exec('DROP TRIGGER temp.full; DROP TRIGGER temp.full2');
    expect((await service.lockStep(id, { step: 'scenario' })).ok).toBe(true);
    journal.close();
  });
});
