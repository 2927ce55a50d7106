import { createHash, verify, type KeyObject } from 'node:crypto';
import type { EnrolledKey } from '../../src-shared/journal/types';
import { parseAuthenticatorData } from './authenticator-data';
import { coseToPublicKey } from './cose-key';

export interface AssertionInput {
  /** base64 */
  authenticator_data: string;
  /** hex, 32 bytes */
  client_data_hash: string;
  /** base64, DER ECDSA */
  signature: string;
}

/** userVerified: the UV flag (bit 2) of the signed flags: the key checked a PIN or fingerprint, not only a touch. */
export type AssertionVerdict =
  { ok: true; signCount: number; userPresent: boolean; userVerified: boolean } | { ok: false; reason: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX32 = /^[0-9a-fA-F]{64}$/;

/** Buffer.from(…, 'base64') skips junk silently; evidence must be exactly what was stored. */
export function strictBase64(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || value.length === 0 || !BASE64.test(value))
    throw new TypeError(`${what} is not base64`);
  return Buffer.from(value, 'base64');
}

const keyCache = new Map<string, KeyObject>();
function publicKeyOf(cose: string): KeyObject {
  let key = keyCache.get(cose);
  if (!key) {
    key = coseToPublicKey(strictBase64(cose, 'cose_public_key'));
    if (keyCache.size > 256) keyCache.clear();
    keyCache.set(cose, key);
  }
  return key;
}

/**
 * Offline check of one assertion against an enrolled key: the authenticatorData names the key's
 * RP, carries the user-presence (touch) flag, and the ES256 signature over
 * authenticatorData ‖ clientDataHash verifies with the enrolled public key. Never throws.
 */
export function verifyAssertion(key: EnrolledKey, a: AssertionInput): AssertionVerdict {
  try {
    if (typeof a.client_data_hash !== 'string' || !HEX32.test(a.client_data_hash))
      return { ok: false, reason: 'client_data_hash is not 32 bytes of hex' };
    const authData = strictBase64(a.authenticator_data, 'authenticator_data');
    const signature = strictBase64(a.signature, 'signature');
    const publicKey = publicKeyOf(key.cose_public_key);
    const parsed = parseAuthenticatorData(authData);
    const expectedRp = createHash('sha256').update(key.rp_id, 'utf8').digest();
    if (!parsed.rpIdHash.equals(expectedRp))
      return { ok: false, reason: `authenticator data is for another relying party than "${key.rp_id}"` };
    if (!parsed.userPresent) return { ok: false, reason: 'user-presence flag not set: the key was not touched' };
    const signed = Buffer.concat([authData, Buffer.from(a.client_data_hash, 'hex')]);
    if (!verify('sha256', signed, { key: publicKey, dsaEncoding: 'der' }, signature)) {
      return {
        ok: false,
        reason: `signature does not verify with the enrolled key ${key.credential_id.slice(0, 12)}…`,
      };
    }
    return {
      ok: true,
      signCount: parsed.signCount,
      userPresent: parsed.userPresent,
      userVerified: parsed.userVerified,
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
