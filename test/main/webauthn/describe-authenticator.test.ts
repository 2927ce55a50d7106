import { createHash, createPublicKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EnrolledKey } from '../../../src-shared/journal/types';
import { YUBICO_INTERMEDIATES, YUBICO_ROOTS } from '../../../src-main/webauthn/attestation/attestation-roots';
import { buildAttestedAuthData, Flag } from '../../../src-main/webauthn/authenticator-data';
import { publicKeyToCose } from '../../../src-main/webauthn/cose-key';
import { describeAuthenticator } from '../../../src-main/webauthn/describe-authenticator';
import {
  bitString,
  boolean,
  explicit,
  generalizedTime,
  integer,
  octetString,
  oid,
  sequence,
  set,
  utf8String,
} from '../../../src-main/hardware-key/virtual/der';
import { VIRTUAL_AAGUID_HEX } from '../../../src-main/webauthn/virtual-marks';
import {
  enrolledFrom,
  FIDO_CONFORMANCE_U2F,
  YUBIKEY_FIDO_U2F,
  YUBIKEY_PACKED,
} from '../hardware-key/fixtures/yubikey-attestations';
import { virtualSetup } from '../hardware-key/helpers';

describe('describeAuthenticator', () => {
  it('the bundled Yubico roots are the published ones (pinned SHA-256), self-signed CAs', () => {
    expect(YUBICO_ROOTS.map((r) => r.name)).toEqual([
      'Yubico U2F Root CA Serial 457200631',
      'Yubico FIDO Root CA Serial 450203556',
      'Yubico Attestation Root 1',
    ]);
    for (const root of YUBICO_ROOTS) {
      const cert = new X509Certificate(root.pem);
      expect(createHash('sha256').update(cert.raw).digest('hex')).toBe(root.sha256);
      expect(cert.subject).toBe(`CN=${root.name}`);
      expect(cert.ca && cert.verify(cert.publicKey)).toBe(true);
    }
    // Independently published fingerprints (Yubico PKI page as quoted by several projects).
    expect(YUBICO_ROOTS.map((r) => r.sha256)).toEqual([
      '0fa1386f80eb8713263ae5c1d84deb455bdf08aea50ab05503cefee82b092d42',
      '35f1a54b353bfb711e6d42adbeb76c0e9dead095018e6a94783ba2192fd6faad',
      '62760c6a6ef91679f454c8902b80fd009825b3f25da90f1fbace2ec6586cd5a8',
    ]);
    const root1 = new X509Certificate(YUBICO_ROOTS[2]!.pem);
    const [ia, ib, fa, fb] = YUBICO_INTERMEDIATES.map((pem) => new X509Certificate(pem));
    expect(
      ia!.verify(root1.publicKey) &&
        ib!.verify(root1.publicKey) &&
        fa!.verify(ia!.publicKey) &&
        fb!.verify(ib!.publicKey),
    ).toBe(true);
  });

  it('a real YubiKey packed attestation is "hardware: YubiKey"', () => {
    const key = enrolledFrom(YUBIKEY_PACKED);
    expect(describeAuthenticator(key)).toEqual({
      kind: 'hardware',
      label: 'hardware: YubiKey',
      reason: 'attestation chains to Yubico U2F Root CA Serial 457200631',
    });
  });

  it('a real YubiKey fido-u2f attestation is "hardware: YubiKey"', () => {
    expect(describeAuthenticator(enrolledFrom(YUBIKEY_FIDO_U2F))).toMatchObject({
      kind: 'hardware',
      label: 'hardware: YubiKey',
    });
  });

  it('a genuine attestation from another vendor root (FIDO conformance tool) is unknown', () => {
    const verdict = describeAuthenticator(enrolledFrom(FIDO_CONFORMANCE_U2F, '2020-01-01T00:00:00.000Z'));
    expect(verdict).toMatchObject({ kind: 'unknown', label: 'unknown authenticator' });
    expect(verdict.reason).toMatch(/does not chain to a Yubico attestation root/);
  });

  it('a YubiKey attestation that does not belong to the stored key is unknown', () => {
    const genuine = enrolledFrom(YUBIKEY_PACKED);
    const other = virtualKeyPublic();
    const cases: Array<[string, EnrolledKey, RegExp]> = [
      ['other challenge', { ...genuine, enrolment_client_data_hash: 'ab'.repeat(32) }, /signature does not verify/],
      ['other public key', { ...genuine, cose_public_key: other }, /another public key/],
      ['other credential', { ...genuine, credential_id: 'AAAA' }, /another credential/],
      ['other RP', { ...genuine, rp_id: 'breakglass.local' }, /another relying party/],
      ['other AAGUID', { ...genuine, aaguid: 'cb69481e8ff7403993ec0a2729a154a8' }, /AAGUID/],
      [
        'no certificate',
        { ...genuine, att_stmt: { alg: -7, sig: genuine.att_stmt!.sig! } },
        /no attestation certificate/,
      ],
      ['format none', { ...genuine, fmt: 'none', att_stmt: null }, /proves nothing/],
      ['no enrolment data', { ...genuine, enrolment_authenticator_data: null }, /enrolment data missing/],
      [
        'garbage certificate',
        { ...genuine, att_stmt: { ...genuine.att_stmt, x5c: ['bm90IGEgY2VydA=='] } },
        /not a certificate/,
      ],
      [
        'enrolled before the certificate existed',
        { ...genuine, enrolled_at: '2010-01-01T00:00:00.000Z' },
        /not valid at enrolment time/,
      ],
    ];
    for (const [name, key, reason] of cases) {
      const verdict = describeAuthenticator(key);
      expect(verdict.kind, name).toBe('unknown');
      expect(verdict.label, name).toBe('unknown authenticator');
      expect(verdict.reason, name).toMatch(reason);
    }
  });

  it('the virtual key is "virtual key", never hardware, however it is dressed up', async () => {
    const { service } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    service.close();
    expect(describeAuthenticator(key)).toMatchObject({ kind: 'virtual', label: 'virtual key' });
    // Claiming a YubiKey AAGUID does not help: the certificate still says VIRTUAL.
    expect(describeAuthenticator({ ...key, aaguid: '6d44ba9bf6ec2e49b9300c8fe920cb73' })).toMatchObject({
      kind: 'virtual',
    });
    // Dropping the certificate leaves the virtual AAGUID.
    expect(describeAuthenticator({ ...key, att_stmt: null })).toMatchObject({ kind: 'virtual' });
    // Pasting a genuine Yubico certificate onto a virtual key: the AAGUID says virtual.
    const yubico = enrolledFrom(YUBIKEY_PACKED);
    expect(describeAuthenticator({ ...key, att_stmt: yubico.att_stmt })).toMatchObject({ kind: 'virtual' });
    expect(key.aaguid).toBe(VIRTUAL_AAGUID_HEX);
  });

  it("a forged certificate named like Yubico's, not chained to the real root, is unknown", () => {
    const fakeRoot = makeCert({
      subject: 'Yubico U2F Root CA Serial 457200631',
      issuer: 'Yubico U2F Root CA Serial 457200631',
      ca: true,
    });
    const leaf = makeCert({
      subject: 'Yubico U2F EE Serial 1234',
      issuer: 'Yubico U2F Root CA Serial 457200631',
      ca: false,
      signer: fakeRoot.key,
    });
    const aaguid = Buffer.from('cb69481e8ff7403993ec0a2729a154a8', 'hex');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credentialId = Buffer.alloc(32, 7);
    const cose = publicKeyToCose(publicKey);
    const authData = buildAttestedAuthData(createHash('sha256').update('breakglass.local').digest(), Flag.UP, 0, {
      aaguid,
      credentialId,
      cosePublicKey: cose,
    });
    const cdh = createHash('sha256').update('enrolment').digest();
    const key: EnrolledKey = {
      credential_id: credentialId.toString('base64url'),
      operator: 'mallory@example.com',
      label: 'primary',
      rp_id: 'breakglass.local',
      cose_public_key: cose.toString('base64'),
      aaguid: aaguid.toString('hex'),
      fmt: 'packed',
      att_stmt: {
        alg: -7,
        sig: sign('sha256', Buffer.concat([authData, cdh]), leaf.key).toString('base64'),
        x5c: [leaf.der.toString('base64'), fakeRoot.der.toString('base64')],
      },
      enrolment_authenticator_data: authData.toString('base64'),
      enrolment_client_data_hash: cdh.toString('hex'),
      enrolled_at: '2026-11-01T00:00:00.000Z',
    };
    const verdict = describeAuthenticator(key);
    expect(verdict).toMatchObject({ kind: 'unknown', label: 'unknown authenticator' });
    expect(verdict.reason).toMatch(/does not chain to a Yubico attestation root/);
    // The same structure with an honest signature is otherwise complete: only the chain fails.
    expect(
      describeAuthenticator({ ...key, att_stmt: { ...key.att_stmt, sig: Buffer.alloc(70).toString('base64') } }).reason,
    ).toMatch(/signature does not verify/);
  });
});

function virtualKeyPublic(): string {
  return publicKeyToCose(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey).toString('base64');
}

function makeCert(options: { subject: string; issuer: string; ca: boolean; signer?: KeyObject }): {
  der: Buffer;
  key: KeyObject;
} {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), utf8String(cn))));
  const algorithm = sequence(oid('1.2.840.10045.4.3.2'));
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(Buffer.from([0x12, 0x34])),
    algorithm,
    name(options.issuer),
    sequence(generalizedTime(new Date('2020-01-01T00:00:00Z')), generalizedTime(new Date('2050-01-01T00:00:00Z'))),
    name(options.subject),
    Buffer.from(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })),
    explicit(
      3,
      sequence(
        sequence(oid('2.5.29.19'), boolean(true), octetString(options.ca ? sequence(boolean(true)) : sequence())),
      ),
    ),
  );
  const der = sequence(tbs, algorithm, bitString(sign('sha256', tbs, options.signer ?? privateKey)));
  return { der, key: privateKey };
}
