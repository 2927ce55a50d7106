import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyChainToRoots } from '../../../src-main/webauthn/attestation/attestation-chain';
import { YUBICO_INTERMEDIATES, YUBICO_ROOTS } from '../../../src-main/webauthn/attestation/attestation-roots';
import { repairKnownMisencodedSignature } from '../../../src-main/webauthn/attestation/u2f-fixsig';
import {
  registrationCertificate,
  YUBICO_FIDO_EE_28299003_PEM,
  YUBICO_U2F_EE_776137165_REGISTRATION,
} from '../hardware-key/fixtures/yubico-certificates';
import { enrolledFrom, YUBIKEY_PACKED } from '../hardware-key/fixtures/yubikey-attestations';

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');

describe('Yubico FIDO attestation intermediates', () => {
  it('are the published ones (pinned SHA-256), FIDO Attestation B2 1 included', () => {
    const bundled = YUBICO_INTERMEDIATES.map((pem) => new X509Certificate(pem));
    expect(bundled.map((c) => [c.subject, sha256(c.raw)])).toEqual([
      ['CN=Yubico Attestation Intermediate A 1', '4698a1d3389c3ec60016c216250f1d0439922832d65142327436376dc2942b55'],
      ['CN=Yubico Attestation Intermediate B 1', 'd4cc3f456fdaf4e7812a21aab1dfe9d8e27d24e2fd2d6f21c9940109f0daa754'],
      ['CN=Yubico FIDO Attestation A 1', '4ebabc9cbc964f722c985f3784d057e9ef5dcf454dcb4f767fccca58cf16a4e8'],
      ['CN=Yubico FIDO Attestation B 1', '4eadda86ff62cff987e111a07910d8554de42f71d5d6da7744610e09012dd319'],
      ['CN=Yubico FIDO Attestation B2 1', '3c6fe819adbd80afe75dc90af7bba34c95b2b7ac64384816e033f63b7c93848b'],
    ]);
    for (const c of bundled) expect(c.ca && c.subject !== c.issuer).toBe(true);
  });

  it('every FIDO Attestation CA reaches a bundled root through the bundle alone (an x5c of one leaf works)', () => {
    for (const pem of YUBICO_INTERMEDIATES) {
      const cert = new X509Certificate(pem);
      if (!/FIDO Attestation/.test(cert.subject)) continue;
      expect(verifyChainToRoots([cert], new Date('2026-01-01T00:00:00Z')), cert.subject).toEqual({
        ok: true,
        root: 'Yubico Attestation Root 1',
      });
    }
    expect(YUBICO_ROOTS).toHaveLength(3);
  });

  it('a real certificate under "Yubico FIDO Root CA Serial 450203556" chains to it', () => {
    const cert = new X509Certificate(YUBICO_FIDO_EE_28299003_PEM);
    expect(cert.subject).toMatch(/Yubico Fido EE \(Serial=28299003\)/);
    expect(verifyChainToRoots([cert], new Date('2025-01-01T00:00:00Z'))).toEqual({
      ok: true,
      root: 'Yubico FIDO Root CA Serial 450203556',
    });
  });
});

describe('early Yubico U2F certificates with a mis-encoded signature (java-webauthn-server FIXSIG)', () => {
  const der = registrationCertificate(YUBICO_U2F_EE_776137165_REGISTRATION);
  const cert = new X509Certificate(der);
  const u2fRoot = new X509Certificate(YUBICO_ROOTS[0]!.pem);

  it('a genuine "Yubico U2F EE Serial 776137165" chains to the U2F root once repaired as Yubico does', () => {
    expect(cert.subject).toBe('CN=Yubico U2F EE Serial 776137165');
    // As shipped, the signature does not verify: this is the key that used to be "unknown".
    expect(cert.verify(u2fRoot.publicKey)).toBe(false);
    expect(verifyChainToRoots([cert], new Date('2016-01-01T00:00:00Z'))).toEqual({
      ok: true,
      root: 'Yubico U2F Root CA Serial 457200631',
    });
  });

  it('only the listed certificates are repaired, and a forged signature stays forged', () => {
    const other = new X509Certificate(Buffer.from(enrolledFrom(YUBIKEY_PACKED).att_stmt!.x5c![0]!, 'base64'));
    expect(repairKnownMisencodedSignature(other)).toBe(other);
    const forged = Buffer.from(der);
    forged[forged.length - 10]! ^= 0x01;
    expect(verifyChainToRoots([new X509Certificate(forged)], new Date('2016-01-01T00:00:00Z')).ok).toBe(false);
  });
});
