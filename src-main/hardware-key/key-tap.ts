import type { EnrolledKey } from '../../src-shared/journal/types';
import { forget, authParam } from './ctap/client-pin';
import { getAssertion } from './ctap/ctap2';
import { KeyError } from '../webauthn/key-error';
import { u2fAuthenticate, u2fKnowsHandle } from './ctap/u2f';
import { verifyAssertion } from '../webauthn/verify-assertion';
import { refuseU2fWhenUvRequired, sha256, u2fCall, verification, type KeyContext } from './key-context';
import type { TapRequest, TapResult } from './key-service-types';

/** The signature counters a tap compares with, to catch a counter going back (a cloned key). */
export interface SignCounts {
  /** This service's own taps, by credential id. */
  last: Map<string, number>;
  /** The highest counter already recorded (KeyServiceOptions.recordedSignCount). */
  recorded?: (key: EnrolledKey) => number | undefined;
}

function highest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** Signs `clientDataHash` with one of the allowed keys, then verifies the signature and its counter. */
export async function tapKey(context: KeyContext, counts: SignCounts, request: TapRequest): Promise<TapResult> {
  const { clientDataHash, allow } = request;
  if (!Buffer.isBuffer(clientDataHash) || clientDataHash.length !== 32)
    throw new KeyError('invalid-input', 'clientDataHash must be a 32-byte Buffer');
  if (!Array.isArray(allow) || allow.length === 0)
    throw new KeyError('invalid-input', 'No enrolled key to sign with: enrol a key first.');
  const rpId = allow[0]!.rp_id;
  if (allow.some((k) => k.rp_id !== rpId))
    throw new KeyError('invalid-input', 'The allowed keys belong to different relying parties.');
  const ids = allow.map((k) => Buffer.from(k.credential_id, 'base64url'));
  const rpIdHash = sha256(rpId);
  return context.withKey('tap', request.signal, async (client, call) => {
    let credentialId: Buffer;
    let authData: Buffer;
    let signature: Buffer;
    if (client.supportsCbor) {
      const token = await verification(context, client, call, 'tap', ids.length);
      let response;
      try {
        response = await getAssertion(
          client,
          {
            rpId,
            clientDataHash,
            allowCredentialIds: ids,
            ...(token ? { pinUvAuth: authParam(token, clientDataHash) } : {}),
          },
          call,
        );
      } finally {
        forget(token);
      }
      if (!response.credentialId && ids.length !== 1)
        throw new KeyError('protocol', 'The key did not say which credential signed.');
      credentialId = response.credentialId ?? ids[0]!;
      authData = response.authData;
      signature = response.signature;
    } else {
      refuseU2fWhenUvRequired(context);
      let known: Buffer | undefined;
      for (const id of ids) {
        if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id)) {
          known = id;
          break;
        }
      }
      if (!known)
        throw new KeyError(
          'wrong-key',
          'This is not an enrolled key: it holds none of the enrolled credentials. Use the enrolled primary or backup key.',
        );
      const signed = await u2fAuthenticate(client, clientDataHash, rpIdHash, known, u2fCall(context, call));
      credentialId = known;
      authData = signed.authData;
      signature = signed.signature;
    }
    const key = allow.find((k) => Buffer.from(k.credential_id, 'base64url').equals(credentialId));
    if (!key) throw new KeyError('protocol', 'The key signed with a credential that was not asked for.');
    const result: TapResult = {
      credential_id: key.credential_id,
      authenticator_data: authData.toString('base64'),
      signature: signature.toString('base64'),
      sign_count: 0,
      user_verified: false,
    };
    const verdict = verifyAssertion(key, { ...result, client_data_hash: clientDataHash.toString('hex') });
    if (!verdict.ok)
      throw new KeyError(
        'bad-signature',
        `The key's signature did not verify (${verdict.reason}). Nothing was recorded.`,
      );
    if (context.requireUv && !verdict.userVerified)
      throw new KeyError(
        'pin-required',
        'The key signed without verifying its user (no UV flag), which the configuration requires. Nothing was recorded.',
      );
    result.user_verified = verdict.userVerified;
    const previous = highest(counts.last.get(key.credential_id), counts.recorded?.(key));
    if (previous !== undefined && (previous !== 0 || verdict.signCount !== 0) && verdict.signCount <= previous) {
      throw new KeyError(
        'counter-regression',
        `The key's signature counter went back from ${previous} to ${verdict.signCount}: it may be a cloned key. Nothing was recorded.`,
      );
    }
    counts.last.set(key.credential_id, verdict.signCount);
    result.sign_count = verdict.signCount;
    return result;
  });
}
