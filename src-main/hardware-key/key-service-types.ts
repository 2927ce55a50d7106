import type { EnrolledKey } from '../../src-shared/journal/types';
import type { KeyClock } from './key-clock';
import type { KeyStatus } from './key-status';
import type { KeyDiscovery } from './transport/transport';
import type { AskPin, KeyOperation } from './ctap/user-verification';

// The key service's public shapes, apart from its code so that enrol, tap and presence can share them.

/** For the UI: "Touch your key" until touch-done, with the transport's deadline (service clock) and the time left. */
export type KeyEvent =
  | { type: 'touch-needed'; operation: KeyOperation; deadline: number; timeoutMs: number }
  | { type: 'touch-done'; operation: KeyOperation; ok: boolean };

export interface TapResult {
  /** base64url */
  credential_id: string;
  /** base64 */
  authenticator_data: string;
  /** base64, DER ECDSA */
  signature: string;
  sign_count: number;
  /** The UV flag of the signed authenticator data: the key checked its PIN or fingerprint. */
  user_verified: boolean;
}

export interface EnrolRequest {
  operator: string;
  label: 'primary' | 'backup';
  excludeCredentialIds?: string[];
}

export interface TapRequest {
  clientDataHash: Buffer;
  allow: EnrolledKey[];
  signal?: AbortSignal;
}

export interface KeyServiceOptions {
  discover: KeyDiscovery;
  rpId: string;
  onEvent?: (event: KeyEvent) => void;
  clock?: KeyClock;
  /** How often onChange polls for plugged/unplugged keys. Default 500 ms. */
  pollIntervalMs?: number;
  /** The timers that space those polls (default: `clock`'s); tests fire them to advance the poll. */
  pollTimers?: Pick<KeyClock, 'setTimeout' | 'clearTimeout'>;
  /** Host deadline for a touch; then CANCEL and 'not-touched'. Default TOUCH_TIMEOUT_MS. */
  touchTimeoutMs?: number;
  /**
   * The highest signature counter already recorded for a key (recorded-sign-count.ts), so that a
   * counter going back is caught across restarts; without it only this service's own taps count.
   */
  recordedSignCount?: (key: EnrolledKey) => number | undefined;
  /** Asks the operator for the key's PIN when the key or the configuration needs it (user-verification.ts). */
  askPin?: AskPin;
  /** Every enrolment and tap must verify the user (PIN or fingerprint): `keys.require_user_verification`. */
  requireUserVerification?: boolean;
}

export interface KeyService {
  status(): Promise<KeyStatus>;
  /** Calls `listener` with the current status, then on every plug/unplug. Returns unsubscribe. */
  onChange(listener: (status: KeyStatus) => void): () => void;
  enrol(request: EnrolRequest): Promise<EnrolledKey>;
  tap(request: TapRequest): Promise<TapResult>;
  /** Cancels the enrol/tap in progress (the key answers "cancelled"). */
  cancel(): void;
  /** Stops polling and cancels anything in progress. */
  close(): void;
}
