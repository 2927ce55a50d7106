import { describe, expect, it } from 'vitest';
import type { EnrolledKey } from '../../../src-shared/journal/types';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import { recordedSignCount } from '../../../src-main/hardware-key/enrolment/recorded-sign-count';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { saveEnrolledKey, listEnrolledKeys } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import { openJournal } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock } from './service-fixture';

describe('ceremony locks with the real virtual key through the key service', () => {
  const tempDir = useTempDir();

  it('signs checkpoints that verify; a wrong key and a cancelled touch are journalled as tap failures', async () => {
    const clock = manualClock();
    const journal = openJournal({ dataDir: tempDir(), clock });
    const device = createVirtualAuthenticator({ touchDelayMs: 5 });
    // The key waits for a touch when it says so: the test cancels then, however slow the machine.
    let touchAsked: () => void = () => undefined;
    const keys = createKeyService({
      discover: virtualDiscovery(device),
      rpId: 'breakglass.local',
      touchTimeoutMs: 5_000,
      onEvent: (event) => {
        if (event.type === 'touch-needed' && event.operation === 'tap') touchAsked();
      },
    });
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
      const waiting = new Promise<void>((resolve) => (touchAsked = resolve));
      const pending = service.lockStep(id, { step: 'scenario' });
      await waiting;
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

  it('a counter that goes back after a restart is refused at tap time, against the counters the journal recorded', async () => {
    const clock = manualClock();
    const dataDir = tempDir();
    const journal = openJournal({ dataDir, clock });
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const fromJournal = { recordedSignCount: (k: EnrolledKey) => recordedSignCount(journal.db, k) };
    const first = createKeyService({ discover: virtualDiscovery(device), rpId: 'breakglass.local', ...fromJournal });
    saveEnrolledKey(journal.db, await first.enrol({ operator: 'taha@example.com', label: 'primary' }));
    const ceremony = (keys: ReturnType<typeof createKeyService>) =>
      makeService('', {
        journal,
        clock,
        signer: { sign: (request) => keys.tap(request) },
        enrolledKeys: (op) => listEnrolledKeys(journal.db, op),
      }).service;
    const lockScenarioOfNewCeremony = async (keys: ReturnType<typeof createKeyService>) => {
      const service = ceremony(keys);
      const started = await service.start({ type: 'root-login', drill: true });
      if (!started.ok) throw new Error(started.error.message);
      await service.selectScenario(started.value.ceremony_id, SSO_DOWN);
      const locked = await service.lockStep(started.value.ceremony_id, { step: 'scenario' });
      if (locked.ok) await service.abort(started.value.ceremony_id, { reason: 'test ceremony, one lock only' });
      return { id: started.value.ceremony_id, locked };
    };
    try {
      expect((await lockScenarioOfNewCeremony(first)).locked.ok).toBe(true);
      first.close();

      // A new service (the app restarted) knows no counter of its own: the journal's count.
      const afterRestart = createKeyService({
        discover: virtualDiscovery(device),
        rpId: 'breakglass.local',
        ...fromJournal,
      });
      device.setFault({ counterRegression: true });
      const { id, locked } = await lockScenarioOfNewCeremony(afterRestart);
      expect(locked).toMatchObject({ ok: false, error: { code: 'tap-failed' } });
      expect(journal.checkpoints(id)).toEqual([]);
      const failures = journal
        .entries(id)
        .filter((e) => e.kind === 'tap_failed')
        .map((e) => e.payload);
      expect(failures).toEqual([expect.objectContaining({ code: 'counter-regression' })]);
      afterRestart.close();

      // Without the journal's record, the same regression would have passed: what the check is for.
      const forgetful = createKeyService({ discover: virtualDiscovery(device), rpId: 'breakglass.local' });
      device.setFault({ counterRegression: true });
      expect((await lockScenarioOfNewCeremony(forgetful)).locked.ok).toBe(true);
      forgetful.close();
    } finally {
      journal.close();
    }
  });
});
