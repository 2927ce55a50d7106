import type { KeyStatusView } from '../../src-shared/ipc/contract';
import { describeAuthenticator } from '../webauthn/describe-authenticator';
import { decideEnrolmentSlot } from '../hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys, saveEnrolledKey } from '../hardware-key/enrolment/enrolment-store';
import type { KeyStatus } from '../hardware-key/key-service';
import type { CoreServices } from '../services';
import { IpcError } from './handle';
import { resolveOperator } from '../../src-shared/config/resolve-operator';

/**
 * The operator a key call is about: the principal asked for (validated here, in main), else the
 * only one. Showing keys may fall back to the first principal (the start screen asks for a
 * choice before anything else); enrolling binds a key to a person, so it insists on the choice.
 * null without a valid configuration.
 */
function operatorOf(core: CoreServices, requested: string | undefined, purpose: 'show' | 'enrol'): string | null {
  const principals = core.config?.config.principals;
  if (!principals) return null;
  if (requested === undefined && purpose === 'show') return principals[0]?.id ?? null;
  const choice = resolveOperator(principals, requested);
  if (!choice.ok) throw new IpcError(choice.code, choice.message);
  return choice.principal.id;
}

function describeDevice(drill: boolean, status: KeyStatus): string {
  if (drill) return status.present ? 'VIRTUAL drill key (not hardware)' : 'VIRTUAL drill key unplugged';
  if (!status.present) return status.errorCode === 'not-a-yubikey' ? 'No YubiKey plugged in (another maker’s key is)' : 'No security key plugged in';
  const name = [status.manufacturer, status.product].filter(Boolean).join(' ') || 'Security key';
  return status.firmware ? `${name}, firmware ${status.firmware}` : name;
}

/** What the key panel shows: the device, why it cannot be used, and the enrolled keys. */
export async function keyStatusView(core: CoreServices, drill: boolean, requestedOperator?: string): Promise<KeyStatusView> {
  const side = core.key(drill);
  const operator = operatorOf(core, requestedOperator, 'show');
  if (!side) {
    const error = core.config ? 'This app was started with --drill: the hardware key is not used.' : 'The configuration is not valid; fix it first.';
    return { drill, present: false, description: 'Key not available', error, error_code: 'unavailable', operator, enrolled: [], touch_waiting: false, can_simulate_touch: false };
  }
  const status = await side.service.status();
  const enrolled = operator ? side.enrolled(operator) : [];
  return {
    drill,
    present: status.present,
    description: describeDevice(drill, status),
    error: status.error ?? null,
    error_code: status.errorCode ?? null,
    operator,
    enrolled: enrolled.map((k) => ({ label: k.label, credential_id: k.credential_id, authenticator: describeAuthenticator(k).label, enrolled_at: k.enrolled_at })),
    touch_waiting: side.touchWaiting,
    can_simulate_touch: side.device !== null,
  };
}

/** Enrols the plugged-in key (or the virtual drill key) as the operator's primary or backup key. */
export async function enrolKey(core: CoreServices, drill: boolean, label: 'primary' | 'backup', requestedOperator?: string): Promise<KeyStatusView> {
  const side = core.key(drill);
  const operator = operatorOf(core, requestedOperator, 'enrol');
  if (!side || !operator) throw new IpcError(core.config ? 'not-authorised' : 'config-invalid', 'No key can be enrolled here: ' + (core.config ? 'this app runs drills only.' : 'the configuration is not valid.'));
  const all = listEnrolledKeys(core.journal.db, operator);
  // Drill keys have their own slots: a drill primary never blocks the real primary (or the reverse).
  const slot = decideEnrolmentSlot(all, { operator, label, drill });
  if (!slot.ok) throw new IpcError(slot.code, slot.message);
  try {
    const key = await side.service.enrol({ operator, label, excludeCredentialIds: all.map((k) => k.credential_id) });
    saveEnrolledKey(core.journal.db, key);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    throw new IpcError(typeof e.code === 'string' ? e.code : 'enrol-failed', typeof e.message === 'string' ? e.message : String(error));
  }
  return keyStatusView(core, drill, operator);
}

/**
 * Hot-plug: every plug/unplug the key service detects (device list, a failed transport read)
 * reaches the screens as key:changed. The hardware key is watched from the start; the virtual
 * drill key from when a drill first opens it.
 */
export function watchKeys(core: CoreServices): () => void {
  const stops: Array<() => void> = [];
  const stopSides = core.onKeySide((side) => {
    stops.push(side.service.onChange(() => {
      void keyStatusView(core, side.drill).then((view) => core.events.emit('key:changed', view), () => undefined);
    }));
  });
  if (!core.drillOnly) core.key(false);
  return () => {
    stopSides();
    for (const stop of stops.splice(0)) stop();
  };
}
