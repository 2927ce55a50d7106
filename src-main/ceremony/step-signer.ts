import { cutAtCodePoint, replaceLoneSurrogates } from '../../src-shared/well-formed-text';
import type { EnrolledKey } from '../../src-shared/journal/types';

/** A verified assertion over one checkpoint challenge (encodings as in the checkpoints table). */
export interface StepSignature {
  /** base64url */
  credential_id: string;
  /** base64 */
  authenticator_data: string;
  /** base64, DER ECDSA */
  signature: string;
  sign_count: number;
}

/**
 * The one thing the ceremony needs from a key: sign a 32-byte challenge with one of the allowed
 * credentials, after a touch. The hardware-key service (real YubiKey or the virtual key for
 * drills) is adapted to this; failures throw an error with a `code` ('not-touched',
 * 'wrong-key', 'cancelled', 'unplugged', 'busy', 'no-key', ...).
 */
export interface StepSigner {
  sign(request: { clientDataHash: Buffer; allow: EnrolledKey[]; signal?: AbortSignal }): Promise<StepSignature>;
}

/** The code and words of a failed tap, whatever the key layer threw. */
export function describeTapFailure(error: unknown): { code: string; reason: string } {
  const e = error as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' && e.code ? e.code : e?.name === 'AbortError' ? 'cancelled' : 'error';
  const reason = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return { code, reason: replaceLoneSurrogates(cutAtCodePoint(reason, 500)).text };
}
