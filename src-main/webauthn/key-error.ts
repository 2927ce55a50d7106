/**
 * Every failure the key layer reports. The code is for programs (the ceremony decides what to
 * offer next), the message is for the operator and says what to do.
 */
export type KeyErrorCode =
  | 'no-key'
  | 'not-a-yubikey'
  | 'no-hid-access'
  | 'not-touched'
  | 'wrong-key'
  | 'cancelled'
  | 'unplugged'
  | 'busy'
  | 'pin-required'
  | 'pin-invalid'
  | 'pin-blocked'
  | 'uv-blocked'
  /** GetInfo says the key cannot do what is asked (PIN not set, UV blocked, a limit): nothing was touched. */
  | 'key-unusable'
  | 'already-enrolled'
  | 'bad-signature'
  | 'counter-regression'
  | 'invalid-input'
  | 'protocol';

export class KeyError extends Error {
  override readonly name = 'KeyError';
  constructor(
    readonly code: KeyErrorCode,
    message: string,
    readonly detail?: { ctapStatus?: number; hidError?: number; retries?: number; cause?: unknown },
  ) {
    super(message);
  }
}

export function isKeyError(error: unknown, code?: KeyErrorCode): error is KeyError {
  return error instanceof KeyError && (code === undefined || error.code === code);
}

/** Wraps anything that is not already a KeyError, so callers only ever see typed errors. */
export function asKeyError(error: unknown, fallback: KeyErrorCode, context: string): KeyError {
  if (error instanceof KeyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KeyError(fallback, `${context}: ${message}`, { cause: error });
}
