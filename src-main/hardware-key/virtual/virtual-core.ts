import type { KeyClock } from '../key-clock';
import type { CredentialVault } from './credential-vault';
import type { DrillState } from './drill-state';
import type { VirtualClientPin } from './virtual-client-pin';

/** Faults a drill or a test can switch on; one-shot faults clear themselves when they fire. */
export interface VirtualFaults {
  /** Nobody touches the key: it times out with `timeoutStatus` (0x27 unless set). */
  noTouch?: boolean;
  /** The plugged-in key is not the enrolled one: 0x2E (CTAP2) / 6A80 (U2F). */
  wrongKey?: boolean;
  /** One-shot: the key is pulled out while it waits for the touch. */
  unplugMidTransaction?: boolean;
  /** The next N requests are answered ERR_CHANNEL_BUSY, as when a browser holds the key. */
  busy?: number;
  /** The next N INITs on the broadcast channel are answered ERR_CHANNEL_BUSY. */
  initBusy?: number;
  /** One-shot: the next CBOR answer is broken in this way. */
  malformed?: 'non-canonical' | 'bad-seq' | 'truncated-cbor' | 'trailing-bytes';
  /** Foreign-channel packets, stray continuations and foreign-nonce INIT answers around every reply. */
  noise?: boolean;
  /** One-shot: the next assertion reports a counter below the previous one (a cloned key). */
  counterRegression?: boolean;
  /** The key insists on a PIN it will never accept: 0x36 PUAT_REQUIRED whatever is sent. */
  pinRequired?: boolean;
  /** The next N fingerprint reads (built-in UV) do not match: 0x3F, then 0x3C when used up. */
  uvMismatch?: number;
  /** Status for a touch timeout: 0x27 (CTAP 2.1), 0x2F or 0x3A. */
  timeoutStatus?: number;
}

/**
 * The one device the virtual key's layers (virtual-ctaphid.ts, virtual-ctap2.ts, virtual-u2f.ts)
 * share: one clock, one set of faults, one signature counter and one button. The layers reach
 * each other only through it, as a real key's firmware layers share one chip.
 */
export interface VirtualCore {
  readonly clock: KeyClock;
  /** Read on every use (setFault replaces the object); a layer clears the one-shot faults it fires. */
  readonly faults: VirtualFaults;
  readonly state: DrillState;
  readonly vault: CredentialVault;
  readonly clientPin: VirtualClientPin;
  /** Simulated touch after this delay; null waits for touch(). */
  readonly touchDelayMs: number | null;
  readonly version: [number, number, number];
  readonly capabilities: number;
  readonly plugged: boolean;
  /** The channel of the request waiting for a touch, if any. */
  readonly pendingCid: number | null;
  /** Sends a CTAPHID message on a channel (with the noise and bad-seq faults). */
  reply(cid: number, cmd: number, data: Buffer): void;
  /** Sends the CTAPHID_KEEPALIVE "waiting for touch". */
  keepalive(cid: number): void;
  /** CTAPHID_CANCEL: the request waiting for a touch on this channel ends with KEEPALIVE_CANCEL. */
  cancel(cid: number): void;
  /** INIT on the channel: the request waiting for a touch on it is dropped without an answer. */
  abandon(cid: number): void;
  /** The next signature counter (the regression fault reports a lower one once). */
  nextCount(): number;
  /** With touchDelayMs 0 and no fault in the way, the touch is already there. */
  touchIsImmediate(): boolean;
  /** Sends keepalives until the touch (then onTouch), a timeout or an unplug. */
  waitForTouch(cid: number, onTouch: () => void): void;
  unplug(): void;
}
