import { verify, X509Certificate } from 'node:crypto';
import type { AttestationStatement } from '../../../src-shared/journal/types';
import { coseToPublicKey, coseToRawP256 } from '../cose-key';
import { KeyError } from '../key-error';

/** The attestation statement of makeCredential as the journal stores it (base64 fields). */
export function statementOf(map: Map<unknown, unknown>): AttestationStatement | null {
  if (map.size === 0) return null;
  const out: AttestationStatement = {};
  const alg = map.get('alg');
  if (typeof alg === 'number') out.alg = alg;
  const sig = map.get('sig');
  if (sig instanceof Uint8Array) out.sig = Buffer.from(sig).toString('base64');
  const x5c = map.get('x5c');
  if (Array.isArray(x5c))
    out.x5c = x5c.filter((c): c is Uint8Array => c instanceof Uint8Array).map((c) => Buffer.from(c).toString('base64'));
  return out;
}

/**
 * A key whose own attestation does not verify is broken or lying: refuse it at enrolment rather
 * than discover it in a review. (Whether it is a genuine YubiKey is describeAuthenticator's job.)
 */
export function checkOwnAttestation(
  fmt: string,
  stmt: AttestationStatement | null,
  authData: Buffer,
  cdh: Buffer,
  credentialId: Buffer,
  cose: Buffer,
  rpIdHash: Buffer,
): void {
  if (fmt === 'none' || !stmt?.sig) return;
  const sig = Buffer.from(stmt.sig, 'base64');
  const signer = stmt.x5c?.[0]
    ? new X509Certificate(Buffer.from(stmt.x5c[0], 'base64')).publicKey
    : coseToPublicKey(cose);
  const data =
    fmt === 'fido-u2f'
      ? Buffer.concat([Buffer.from([0x00]), rpIdHash, cdh, credentialId, coseToRawP256(cose)])
      : Buffer.concat([authData, cdh]);
  if (!verify('sha256', data, { key: signer, dsaEncoding: 'der' }, sig)) {
    throw new KeyError('protocol', "The key's attestation signature does not verify; refusing to enrol it.");
  }
}
