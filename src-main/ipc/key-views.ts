import type { KeyStatusView } from '../../src-shared/ipc/contract';
import { describeAuthenticator } from '../webauthn/describe-authenticator';
import { enrolOperatorKey } from '../hardware-key/enrolment/enrol-key';
import type { KeyStatus } from '../hardware-key/key-service';
import type { CoreServices } from '../services';
import { resolveOperator } from '../../src-shared/config/resolve-operator';
import { ok, refused, type Result } from '../../src-shared/result';

/**
 * The operator a key call is about: the principal asked for (validated here, in main), else the
 * only one. Showing keys may fall back to the first principal (the start screen asks for a
 * choice before anything else); enrolling binds a key to a person, so it insists on the choice.
 * null without a valid configuration.
 */
function operatorOf(
  core: CoreServices,
  requested: string | undefined,
  purpose: 'show' | 'enrol',
): Result<string | null> {
  const principals = core.config?.config.principals;
  if (!principals) return ok(null);
  if (requested === undefined && purpose === 'show') return ok(principals[0]?.id ?? null);
  const choice = resolveOperator(principals, requested);
  if (!choice.ok) return refused(choice.error.code, choice.error.message, { field: 'operator' });
  return ok(choice.value.id);
}

function describeDevice(drill: boolean, status: KeyStatus): string {
  if (drill) return status.present ? 'VIRTUAL drill key (not hardware)' : 'VIRTUAL drill key unplugged';
  if (!status.present)
    return status.errorCode === 'not-a-yubikey'
      ? 'No YubiKey plugged in (another maker’s key is)'
      : 'No security key plugged in';
  const name = [status.manufacturer, status.product].filter(Boolean).join(' ') || 'Security key';
  return status.firmware ? `${name}, firmware ${status.firmware}` : name;
}

/** What the key panel shows: the device, why it cannot be used, and the enrolled keys. */
export async function keyStatusView(
  core: CoreServices,
  drill: boolean,
  requestedOperator?: string,
): Promise<Result<KeyStatusView>> {
  const side = core.key(drill);
  const chosen = operatorOf(core, requestedOperator, 'show');
  if (!chosen.ok) return chosen;
  const operator = chosen.value;
  if (!side) {
    const error = core.config
      ? 'This app was started with --drill: the hardware key is not used.'
      : 'The configuration is not valid; fix it first.';
    return ok({
      drill,
      present: false,
      description: 'Key not available',
      error,
      error_code: 'unavailable',
      operator,
      enrolled: [],
      touch_waiting: false,
      can_simulate_touch: false,
    });
  }
  const status = await side.service.status();
  const enrolled = operator ? side.enrolled(operator) : [];
  return ok({
    drill,
    present: status.present,
    description: describeDevice(drill, status),
    error: status.error ?? null,
    error_code: status.errorCode ?? null,
    operator,
    enrolled: enrolled.map((k) => ({
      label: k.label,
      credential_id: k.credential_id,
      authenticator: describeAuthenticator(k).label,
      enrolled_at: k.enrolled_at,
    })),
    touch_waiting: side.touchWaiting,
    can_simulate_touch: side.device !== null,
  });
}

/** Enrols the plugged-in key (or the virtual drill key) as the operator's primary or backup key. */
export async function enrolKey(
  core: CoreServices,
  drill: boolean,
  label: 'primary' | 'backup',
  requestedOperator?: string,
): Promise<Result<KeyStatusView>> {
  const side = core.key(drill);
  const chosen = operatorOf(core, requestedOperator, 'enrol');
  if (!chosen.ok) return chosen;
  const operator = chosen.value;
  if (!side || !operator)
    return refused(
      core.config ? 'not-authorised' : 'config-invalid',
      'No key can be enrolled here: ' +
        (core.config ? 'this app runs drills only.' : 'the configuration is not valid.'),
    );
  // Drill keys have their own slots: a drill primary never blocks the real primary (or the reverse).
  const enrolled = await enrolOperatorKey(core.journal.db, side.service, { operator, label, drill });
  if (!enrolled.ok) return enrolled;
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
    stops.push(
      side.service.onChange(() => {
        void keyStatusView(core, side.drill).then(
          (view) => view.ok && core.events.emit('key:changed', view.value),
          () => undefined,
        );
      }),
    );
  });
  if (!core.drillOnly) core.key(false);
  return () => {
    stopSides();
    for (const stop of stops.splice(0)) stop();
  };
}
