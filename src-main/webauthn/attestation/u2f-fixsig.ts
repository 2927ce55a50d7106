import { X509Certificate } from 'node:crypto';

/**
 * Early Yubico U2F attestation certificates carry a mis-encoded signature: the BIT STRING's
 * "unused bits" byte is not 0, so strict verifiers reject a genuine key. Yubico's own
 * java-webauthn-server (CertificateParser.FIXSIG) repairs exactly these subjects by zeroing that
 * byte, 257 bytes from the end (the RSA-2048 signature's BIT STRING header); we do the same, for
 * the same list only, so no other certificate is ever rewritten.
 */
const FIXSIG = new Set([
  'CN=Yubico U2F EE Serial 776137165',
  'CN=Yubico U2F EE Serial 1086591525',
  'CN=Yubico U2F EE Serial 1973679733',
  'CN=Yubico U2F EE Serial 13503277888',
  'CN=Yubico U2F EE Serial 13831167861',
  'CN=Yubico U2F EE Serial 14803321578',
]);
const UNUSED_BITS_BYTE_INDEX_FROM_END = 257;

/** The certificate as Yubico meant to sign it when it is one of the listed ones; otherwise itself. */
export function repairKnownMisencodedSignature(cert: X509Certificate): X509Certificate {
  if (!FIXSIG.has(cert.subject)) return cert;
  const der = Buffer.from(cert.raw);
  const at = der.length - UNUSED_BITS_BYTE_INDEX_FROM_END;
  if (at < 0 || der[at] === 0) return cert;
  der[at] = 0;
  try {
    return new X509Certificate(der);
  } catch {
    return cert;
  }
}
