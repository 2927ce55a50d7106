import { createHash, verify, X509Certificate } from 'node:crypto';
import type { EnrolledKey } from '../../src-shared/journal/types';
import { certificateAaguid, verifyChainToRoots } from './attestation/attestation-chain';
import { parseAuthenticatorData } from './authenticator-data';
import { coseToRawP256 } from './cose-key';
import { strictBase64 } from './verify-assertion';
import { VIRTUAL_AAGUID_HEX } from './virtual-marks';

export type AuthenticatorKind = 'hardware' | 'virtual' | 'unknown';

export interface AuthenticatorDescription {
  kind: AuthenticatorKind;
  label: string;
  /** Why, in plain words (which root it chains to, or what failed). */
  reason: string;
}

const VIRTUAL = (reason: string): AuthenticatorDescription => ({ kind: 'virtual', label: 'virtual key', reason });
const UNKNOWN = (reason: string): AuthenticatorDescription => ({
  kind: 'unknown',
  label: 'unknown authenticator',
  reason,
});

function parseCertificates(key: EnrolledKey): X509Certificate[] {
  return (key.att_stmt?.x5c ?? []).map((b64, i) => {
    try {
      return new X509Certificate(strictBase64(b64, `x5c[${i}]`));
    } catch (error) {
      throw new Error(`x5c[${i}] is not a certificate (${(error as Error).message})`);
    }
  });
}

/**
 * Says what kind of authenticator holds an enrolled key, offline, from its enrolment attestation.
 * "hardware: YubiKey" only when the attestation certificate chains to a Yubico root AND the
 * attestation signature over the enrolment authData ‖ clientDataHash verifies AND that authData
 * carries this very credential. Anything marked virtual is virtual, whatever else it claims.
 */
export function describeAuthenticator(key: EnrolledKey): AuthenticatorDescription {
  if (key.aaguid?.toLowerCase() === VIRTUAL_AAGUID_HEX) return VIRTUAL("the virtual authenticator's AAGUID");
  let certs: X509Certificate[];
  try {
    certs = parseCertificates(key);
  } catch (error) {
    return UNKNOWN((error as Error).message);
  }
  if (certs.some((c) => /VIRTUAL/i.test(c.subject))) return VIRTUAL('attestation certificate says VIRTUAL');

  if (key.fmt !== 'packed' && key.fmt !== 'fido-u2f')
    return UNKNOWN(`attestation format "${key.fmt}" proves nothing about the device`);
  const stmt = key.att_stmt;
  if (!stmt?.sig || certs.length === 0) return UNKNOWN('no attestation certificate (self or no attestation)');
  if (!key.enrolment_authenticator_data || !key.enrolment_client_data_hash)
    return UNKNOWN('enrolment data missing: the attestation cannot be checked');

  try {
    const authData = strictBase64(key.enrolment_authenticator_data, 'enrolment_authenticator_data');
    const clientDataHash = Buffer.from(key.enrolment_client_data_hash, 'hex');
    if (clientDataHash.length !== 32 || !/^[0-9a-f]{64}$/i.test(key.enrolment_client_data_hash))
      return UNKNOWN('enrolment client data hash is not 32 bytes of hex');
    const sig = strictBase64(stmt.sig, 'attestation sig');
    const parsed = parseAuthenticatorData(authData);
    const attested = parsed.attested;
    if (!attested) return UNKNOWN('enrolment authenticator data carries no credential');
    if (!attested.credentialId.equals(Buffer.from(key.credential_id, 'base64url')))
      return UNKNOWN('enrolment attestation is for another credential');
    if (!attested.cosePublicKey.equals(strictBase64(key.cose_public_key, 'cose_public_key')))
      return UNKNOWN('enrolment attestation is for another public key');
    if (!parsed.rpIdHash.equals(createHash('sha256').update(key.rp_id, 'utf8').digest()))
      return UNKNOWN('enrolment attestation is for another relying party');
    const leaf = certs[0]!;
    if (leaf.ca) return UNKNOWN('attestation certificate is a CA certificate');

    let signed: Buffer;
    if (key.fmt === 'packed') {
      if (stmt.alg !== -7) return UNKNOWN(`attestation algorithm ${stmt.alg} is not ES256`);
      if (attested.aaguid.toString('hex') !== key.aaguid.toLowerCase())
        return UNKNOWN('AAGUID does not match the enrolment data');
      const certAaguid = certificateAaguid(leaf.raw);
      if (certAaguid !== null && certAaguid !== key.aaguid.toLowerCase())
        return UNKNOWN('AAGUID in the attestation certificate does not match');
      signed = Buffer.concat([authData, clientDataHash]);
    } else {
      signed = Buffer.concat([
        Buffer.from([0x00]),
        parsed.rpIdHash,
        clientDataHash,
        attested.credentialId,
        coseToRawP256(attested.cosePublicKey),
      ]);
    }
    if (!verify('sha256', signed, { key: leaf.publicKey, dsaEncoding: 'der' }, sig))
      return UNKNOWN('attestation signature does not verify');

    const enrolledAt = new Date(key.enrolled_at);
    const chain = verifyChainToRoots(certs, Number.isNaN(enrolledAt.getTime()) ? new Date() : enrolledAt);
    if (!chain.ok) return UNKNOWN(chain.reason);
    return { kind: 'hardware', label: 'hardware: YubiKey', reason: `attestation chains to ${chain.root}` };
  } catch (error) {
    return UNKNOWN((error as Error).message);
  }
}
