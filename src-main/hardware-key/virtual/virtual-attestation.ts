import { createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  generalizedTime,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  utf8String,
} from './der';
import { VIRTUAL_AAGUID, VIRTUAL_CERT_SUBJECT_CN } from '../../webauthn/virtual-marks';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ID_FIDO_GEN_CE_AAGUID = '1.3.6.1.4.1.45724.1.1.4';
const BASIC_CONSTRAINTS = '2.5.29.19';

export interface AttestationIdentity {
  privateKey: KeyObject;
  /** DER of the self-signed attestation certificate (x5c[0]). */
  certificate: Buffer;
}

function name(): Buffer {
  const rdn = (type: string, value: Buffer) => set(sequence(oid(type), value));
  return sequence(
    rdn('2.5.4.6', printableString('ZZ')),
    rdn('2.5.4.10', utf8String('Breakglass')),
    rdn('2.5.4.11', utf8String('Authenticator Attestation')),
    rdn('2.5.4.3', utf8String(VIRTUAL_CERT_SUBJECT_CN)),
  );
}

/**
 * A self-signed "packed" attestation certificate whose subject says VIRTUAL and NOT HARDWARE and
 * which carries the virtual AAGUID, so no verifier can mistake it for a vendor's.
 */
export function createAttestationIdentity(privateKey?: KeyObject, now = new Date()): AttestationIdentity {
  const key = privateKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const spki = Buffer.from(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const subject = name();
  const notAfter = new Date(now.getTime() + 20 * 365 * 24 * 3600 * 1000);
  const extensions = explicit(
    3,
    sequence(
      sequence(oid(BASIC_CONSTRAINTS), boolean(true), octetString(sequence())),
      sequence(oid(ID_FIDO_GEN_CE_AAGUID), octetString(octetString(VIRTUAL_AAGUID))),
    ),
  );
  const serial = randomBytes(8);
  serial[0]! &= 0x7f;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    subject,
    sequence(generalizedTime(new Date(now.getTime() - 24 * 3600 * 1000)), generalizedTime(notAfter)),
    subject,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, key);
  const certificate = sequence(tbs, algorithm, bitString(signature));
  new X509Certificate(certificate); // fails loudly here rather than in a verifier later
  return { privateKey: key, certificate };
}
