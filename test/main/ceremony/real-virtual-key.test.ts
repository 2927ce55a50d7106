import { describe, expect, it } from 'vitest';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { saveEnrolledKey, listEnrolledKeys } from '../../../src-main/hardware-key/enrolment-store';
import { verifyAssertion } from '../../../src-main/hardware-key/verify-assertion';
import { openJournal } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock } from './service-fixture';

describe('ceremony locks with the real virtual key through the key service', () => {
  const tempDir = useTempDir();

  it('signs checkpoints that verify; a wrong key and a cancelled touch are journalled as tap failures', async () => {
    const clock = manualClock();
    const journal = openJournal({ dataDir: tempDir(), clock });
    const device = createVirtualAuthenticator({ touchDelayMs: 5 });
    const keys = createKeyService({ discover: virtualDiscovery(device), rpId: 'breakglass.local', touchTimeoutMs: 5_000 });
    try {
      saveEnrolledKey(journal.db, await keys.enrol({ operator: 'taha@example.com', label: 'primary' }));
      const { service } = makeService('', {
        journal,
        clock,
        signer: { sign: (request) => keys.tap(request) },
        enrolledKeys: (op) => listEnrolledKeys(journal.db, op),
      });
      const started = await service.start({ type: 'root-login', drill: true });
      if (!started.ok) throw new Error(started.error.message);
      const id = started.value.ceremony_id;
      await service.selectScenario(id, SSO_DOWN);

      device.setFault({ wrongKey: true });
      const wrong = await service.lockStep(id, { step: 'scenario' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'tap-failed' } });
      device.clearFaults();

      device.setFault({ noTouch: true }); // nobody touches: the tap waits until cancelled
      const pending = service.lockStep(id, { step: 'scenario' });
      await new Promise((r) => setTimeout(r, 100));
      expect(service.cancelTap()).toEqual({ cancelled: true });
      expect(await pending).toMatchObject({ ok: false, error: { code: 'tap-failed' } });
      device.clearFaults();

      const locked = await service.lockStep(id, { step: 'scenario' });
      if (!locked.ok) throw new Error(locked.error.message);
      expect(locked.value.steps[0]!.status).toBe('locked');
      expect(locked.value.tap_failures.map((t) => t.code)).toEqual(['wrong-key', 'cancelled']);

      const [cp] = journal.checkpoints(id);
      const [key] = listEnrolledKeys(journal.db);
      expect(verifyAssertion(key!, cp!)).toMatchObject({ ok: true });
      expect(journal.verify(id)).toMatchObject({ ok: true });
    } finally {
      keys.close();
      journal.close();
    }
  });
});
