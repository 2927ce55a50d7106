import { getPinRetries, getUvRetries, tokenWithPin, tokenWithUv, type PinUvToken } from './client-pin';
import { Permission } from './client-pin-constants';
import type { AuthenticatorInfo } from './ctap2';
import type { CallOptions, CtapHidClient } from '../transport/ctaphid-client';
import { isKeyError, KeyError } from '../../webauthn/key-error';

export type KeyOperation = 'enrol' | 'tap';

/** What the PIN prompt shows. It never carries the PIN, only why and how many tries are left. */
export interface PinRequest {
  operation: KeyOperation;
  /** Tries left before the PIN is blocked, from the key itself. */
  retries: number;
  /** Why the PIN is asked for, or why the last one failed, in words. */
  message: string;
}

/**
 * Asks the operator for the key's PIN; null means they cancelled. The string is used for one
 * token and then dropped: Breakglass never stores, logs, journals, syncs or exports it.
 */
export type AskPin = (request: PinRequest, signal?: AbortSignal) => Promise<string | null>;

/** The operator's answer, or null as soon as the step is cancelled (the prompt is then withdrawn). */
function answerOrCancel(ask: AskPin, request: PinRequest, signal: AbortSignal | undefined): Promise<string | null> {
  if (!signal) return ask(request);
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    ask(request, signal).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The configuration setting that demands UV, named in messages so the operator can find it. */
export const REQUIRE_UV_SETTING = 'keys.require_user_verification';

export interface UvContext {
  operation: KeyOperation;
  rpId: string;
  /** Configuration demands UV (real ceremonies only). */
  requireUv: boolean;
  askPin?: AskPin;
  /** How many credentials the allow list will hold (tap only). */
  allowCount: number;
  call: CallOptions;
}

function unusable(text: string): KeyError {
  return new KeyError('key-unusable', `${text} Nothing was signed and the key was not asked for a touch.`);
}

/** Why UV is needed, in the words of the setting that demands it; null when it is not. */
function uvDemand(info: AuthenticatorInfo, ctx: UvContext): string | null {
  if (info.options.alwaysUv)
    return 'The key is set to always require user verification (alwaysUv, e.g. FIPS mode or an organisation policy).';
  if (ctx.requireUv) return `The configuration requires user verification for real ceremonies (${REQUIRE_UV_SETTING}).`;
  // CTAP 2.0 keys with a PIN, and 2.1 keys without makeCredUvNotRqd, want the PIN to make a credential.
  if (ctx.operation === 'enrol' && info.options.clientPin === true && info.options.makeCredUvNotRqd !== true) {
    return 'The key requires its PIN to enrol (it has a PIN and does not allow credentials without one: makeCredUvNotRqd is off).';
  }
  return null;
}

/**
 * Reads GetInfo's settings before anything is touched, says which one blocks the key, and when
 * user verification is needed gets a pinUvAuthToken: from the fingerprint (YubiKey Bio) when the
 * key has one that is not blocked, else from the PIN typed by the operator. Returns null when the
 * operation needs no UV.
 */
export async function prepareUserVerification(
  client: CtapHidClient,
  info: AuthenticatorInfo,
  ctx: UvContext,
): Promise<PinUvToken | null> {
  const limit = info.maxCredentialCountInList;
  if (ctx.operation === 'tap' && limit !== undefined && ctx.allowCount > limit) {
    throw unusable(
      `The key accepts at most ${limit} credentials per request (maxCredentialCountInList) and ${ctx.allowCount} are enrolled for this operator.`,
    );
  }
  const demand = uvDemand(info, ctx);
  if (!demand) return null;
  const permission = ctx.operation === 'enrol' ? Permission.MC : Permission.GA;
  const hasPin = info.options.clientPin === true;
  if (info.options.uv === true && info.options.pinUvAuthToken === true) {
    const uvLeft = await getUvRetries(client, ctx.call);
    if (uvLeft > 0) return tokenWithUv(client, info, permission, ctx.rpId, ctx.call);
    if (!hasPin)
      throw unusable(
        `${demand} Its fingerprint reader is blocked (no tries left) and it has no PIN to fall back on: replug it to reset the reader.`,
      );
  }
  if (!hasPin) {
    if (info.options.clientPin === false)
      throw unusable(
        `${demand} But the key has no FIDO PIN set: set one with Yubico Authenticator or \`ykman fido access change-pin\`, then retry.`,
      );
    throw unusable(
      `${demand} But this key can verify no one (no FIDO PIN support, no fingerprint): use a FIDO2 YubiKey.`,
    );
  }
  let retries = await getPinRetries(client, ctx.call);
  if (retries === 0)
    throw unusable(
      `${demand} But the key's PIN is blocked (no tries left). Only a FIDO reset unblocks it, which erases its credentials: use the backup key.`,
    );
  if (!ctx.askPin)
    throw new KeyError(
      'pin-required',
      `${demand} Breakglass cannot ask for the PIN here (no prompt is available): run it where you can type the PIN.`,
    );
  let message = `${demand} Type the key's FIDO PIN.`;
  for (;;) {
    const typed = await answerOrCancel(ctx.askPin, { operation: ctx.operation, retries, message }, ctx.call.signal);
    if (typed === null) throw new KeyError('cancelled', 'PIN entry was cancelled. Nothing was signed.');
    const pin = Buffer.from(typed, 'utf8');
    try {
      return await tokenWithPin(client, info, pin, permission, ctx.rpId, ctx.call);
    } catch (error) {
      // A wrong PIN is asked again with the tries left; anything else (blocked too) ends the step.
      if (!isKeyError(error, 'pin-invalid') || error.detail?.retries === undefined || error.detail.retries === 0)
        throw error;
      retries = error.detail.retries;
      message = error.message;
    } finally {
      pin.fill(0);
    }
  }
}
