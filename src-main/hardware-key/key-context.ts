import { createHash } from 'node:crypto';
import type { PinUvToken } from './ctap/client-pin';
import { getInfo, type AuthenticatorInfo } from './ctap/ctap2';
import { KeepaliveStatus } from './transport/ctaphid-constants';
import type { CallOptions, CtapHidClient } from './transport/ctaphid-client';
import type { KeyClock } from './key-clock';
import { KeyError } from '../webauthn/key-error';
import { prepareUserVerification, type AskPin, type KeyOperation } from './ctap/user-verification';

// What enrol and tap share from the key service: its settings and the one-key-at-a-time runner.

export interface KeyContext {
  rpId: string;
  clock: KeyClock;
  requireUv: boolean;
  askPin?: AskPin;
  /** Runs one operation on the first key that can do it; the next key is tried on 'wrong-key'. */
  withKey<T>(
    operation: KeyOperation,
    signal: AbortSignal | undefined,
    run: (client: CtapHidClient, call: CallOptions) => Promise<T>,
  ): Promise<T>;
}

export const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

/** GetInfo, then the PIN/fingerprint token when the key or the configuration needs one, before any touch. */
export async function verification(
  context: KeyContext,
  client: CtapHidClient,
  call: CallOptions,
  operation: KeyOperation,
  allowCount: number,
): Promise<PinUvToken | null> {
  const info: AuthenticatorInfo = await getInfo(client, call);
  return prepareUserVerification(client, info, {
    operation,
    rpId: context.rpId,
    requireUv: context.requireUv,
    askPin: context.askPin,
    allowCount,
    call,
  });
}

export function refuseU2fWhenUvRequired(context: KeyContext): void {
  if (context.requireUv)
    throw new KeyError(
      'key-unusable',
      `This key speaks only U2F, which cannot verify its user, and the configuration requires user verification (keys.require_user_verification). Use a FIDO2 YubiKey. Nothing was signed.`,
    );
}

/** The U2F calls' options: U2F has no keepalive, so its wait for a touch is reported as one. */
export function u2fCall(context: KeyContext, call: CallOptions) {
  return {
    ...call,
    clock: context.clock,
    onTouchNeeded: (deadline: number) => call.onKeepalive?.(KeepaliveStatus.UPNEEDED, deadline),
  };
}
