import { describe, expect, it } from 'vitest';
import type { KeyStatusView } from '../../../src-shared/ipc/contract';
import { isDrillKey } from '../../../src-main/hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { dispatch } from '../../../src-main/ipc/handle';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createCoreServices } from '../../../src-main/services';
import { useTempDir } from '../../support/temp-dir';

const OPERATOR = 'taha@example.com';

/**
 * A real-mode app (not --drill) whose "hardware" is a U2F-only key: its credentials carry the
 * all-zero AAGUID of a U2F registration, not the virtual key's mark, so they land in the real
 * slots exactly as a YubiKey's would.
 */
function realModeApp(dataDir: string) {
  const hardware = createVirtualAuthenticator({ touchDelayMs: 0, u2fOnly: true });
  const core = createCoreServices({
    dataDir,
    drillOnly: false,
    drillTouchDelayMs: 0,
    env: {},
    events: createEventHub(),
    realDiscovery: () => virtualDiscovery(hardware),
  });
  const handlers = createHandlers(core, { openExternal: async () => undefined });
  const enrol = (drill: boolean, label: 'primary' | 'backup') =>
    dispatch('key:enrol', [{ drill, label, operator: OPERATOR }], () => true, handlers);
  return { core, enrol };
}

function enrolledView(result: Awaited<ReturnType<ReturnType<typeof realModeApp>['enrol']>>): KeyStatusView {
  if (!result.ok) throw new Error(`key:enrol refused: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('key:enrol through the IPC layer: drill keys have their own slots', () => {
  const tempDir = useTempDir();

  it('enrols the real primary key after a drill primary key, and still refuses a second one of each', async () => {
    const { core, enrol } = realModeApp(tempDir());
    try {
      expect(enrolledView(await enrol(true, 'primary')).enrolled.map((k) => k.label)).toEqual(['primary']);
      const real = enrolledView(await enrol(false, 'primary'));
      expect(real).toMatchObject({ drill: false, operator: OPERATOR });
      expect(real.enrolled.map((k) => k.label)).toEqual(['primary']);
      const slots = listEnrolledKeys(core.journal.db, OPERATOR).map(
        (k) => `${isDrillKey(k) ? 'drill ' : ''}${k.label}`,
      );
      expect(slots.sort()).toEqual(['drill primary', 'primary']);

      // Each slot still holds one key: a second drill or real primary is refused, naming the slot.
      const drillAgain = await enrol(true, 'primary');
      // The refusal names the argument it is about (the slot), so the key panel can point at it.
      expect(drillAgain).toMatchObject({ ok: false, error: { code: 'already-enrolled', field: 'label' } });
      expect(!drillAgain.ok && drillAgain.error.message).toMatch(/already has a drill primary key/);
      const realAgain = await enrol(false, 'primary');
      expect(realAgain).toMatchObject({ ok: false, error: { code: 'already-enrolled', field: 'label' } });
      expect(!realAgain.ok && realAgain.error.message).toMatch(/already has a primary key/);
      expect(listEnrolledKeys(core.journal.db, OPERATOR)).toHaveLength(2);
    } finally {
      await core.close();
    }
  });
});
