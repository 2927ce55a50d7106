import { Ctap2Status } from '../transport/ctaphid-constants';
import { KeyError } from '../../webauthn/key-error';

/**
 * PIN and user-verification statuses (CTAP 2.1 §8.2) in words an operator can act on; the byte
 * stays in the message for whoever reads a log with the spec open. Where a key needs its PIN
 * reset, only the key's owner can do it (Yubico Authenticator or `ykman fido`), never Breakglass.
 */
const PIN_STATUS: Record<
  number,
  { code: 'pin-required' | 'pin-invalid' | 'pin-blocked' | 'uv-blocked' | 'protocol'; text: string }
> = {
  [Ctap2Status.PIN_INVALID]: { code: 'pin-invalid', text: 'The PIN is wrong' },
  [Ctap2Status.PIN_BLOCKED]: {
    code: 'pin-blocked',
    text: "The key's FIDO PIN is blocked after too many wrong PINs. Only a FIDO reset (Yubico Authenticator, or `ykman fido reset`) unblocks it, and that erases every credential on the key: use the backup key, then re-enrol this one",
  },
  [Ctap2Status.PIN_AUTH_INVALID]: {
    code: 'pin-invalid',
    text: 'The key did not accept the PIN authorisation (its PIN session ended, e.g. it was replugged): retry',
  },
  [Ctap2Status.PIN_AUTH_BLOCKED]: {
    code: 'pin-blocked',
    text: 'Three wrong PINs in a row: the key refuses PINs until it is unplugged and plugged in again (the remaining tries are kept)',
  },
  [Ctap2Status.PIN_NOT_SET]: {
    code: 'pin-required',
    text: 'The key requires user verification but has no FIDO PIN set. Set one with Yubico Authenticator or `ykman fido access change-pin`, then retry',
  },
  [Ctap2Status.PUAT_REQUIRED]: {
    code: 'pin-required',
    text: 'The key requires its FIDO PIN (or fingerprint) for this operation',
  },
  [Ctap2Status.PIN_POLICY_VIOLATION]: {
    code: 'pin-invalid',
    text: "The PIN does not meet the key's PIN policy (too short or too long)",
  },
  [Ctap2Status.UV_BLOCKED]: {
    code: 'uv-blocked',
    text: "The fingerprint reader is blocked after too many failed matches: use the key's PIN instead, or unplug and replug it",
  },
  [Ctap2Status.UV_INVALID]: {
    code: 'pin-invalid',
    text: 'The fingerprint was not recognised: try again with an enrolled finger',
  },
  [Ctap2Status.UNAUTHORIZED_PERMISSION]: {
    code: 'protocol',
    text: 'The key refused the PIN token for this request (its permissions or relying party do not match): retry the step',
  },
  [Ctap2Status.LIMIT_EXCEEDED]: {
    code: 'protocol',
    text: "The request exceeds one of the key's limits (too many credentials in one request, or a full credential store)",
  },
};

export function isPinStatus(status: number): boolean {
  return status in PIN_STATUS;
}

/** The KeyError for a PIN/UV status; `retries` (when known) is said in words. */
export function pinStatusError(status: number, operation: string, retries?: number): KeyError {
  const entry = PIN_STATUS[status] ?? { code: 'protocol' as const, text: 'The key refused the request' };
  const left =
    retries === undefined
      ? ''
      : retries === 1
        ? ' 1 try is left before the PIN is blocked.'
        : ` ${retries} tries are left before the PIN is blocked.`;
  const byte = `0x${status.toString(16).padStart(2, '0')}`;
  return new KeyError(entry.code, `${entry.text} (${operation}, status ${byte}).${left}`, {
    ctapStatus: status,
    ...(retries === undefined ? {} : { retries }),
  });
}
