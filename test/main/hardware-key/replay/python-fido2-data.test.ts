import { createECDH, createHash, verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyChainToRoots } from '../../../../src-main/webauthn/attestation/attestation-chain';
import { parseAuthenticatorData } from '../../../../src-main/webauthn/authenticator-data';
import { getAssertion, getInfo, makeCredential } from '../../../../src-main/hardware-key/ctap/ctap2';
import { CtapHidClient } from '../../../../src-main/hardware-key/transport/ctaphid-client';
import { paddedPin, pinHash, PIN_PROTOCOL_1 } from '../../../../src-main/hardware-key/ctap/pin-protocol';
import { parseRegistration } from '../../../../src-main/hardware-key/ctap/u2f';
import { replayTransport } from './replay-transport';

const NAMES = ['_INFO', '_GA_RESP', '_CRED_ID', '_SIGNATURE', '_AUTH_DATA_GA', 'EC_PRIV', 'EC_PUB_X', 'EC_PUB_Y', 'DEV_PUB_X', 'DEV_PUB_Y', 'SHARED', 'TOKEN_ENC', 'TOKEN', 'PIN_HASH_ENC',
  'PACKED_PREVIEW_RESP', 'PACKED_PREVIEW_CDH', 'U2F_APP_PARAM', 'U2F_REGISTRATION', 'U2F_CLIENT_PARAM', 'SET_PIN_NEW_PIN_ENC', 'SET_PIN_PARAM'] as const;
// Read at run time rather than imported: the test project compiles only TypeScript files.
const data = JSON.parse(readFileSync(path.join(__dirname, 'python-fido2-test-data.json'), 'utf8')) as { values: { [name: string]: string } };
const v = Object.fromEntries(NAMES.map((k) => [k, Buffer.from(data.values[k] ?? '', 'hex')])) as Record<(typeof NAMES)[number], Buffer>;
const ok = (body: Buffer) => ({ cbor: Buffer.concat([Buffer.from([0x00]), body]) });

describe('python-fido2\'s recorded YubiKey data through our client and verifier', () => {
  it('getInfo of a YubiKey 5 (FIDO_2_0, extensions uvm and hmac-secret)', async () => {
    const client = await CtapHidClient.open(replayTransport([ok(v._INFO)]));
    expect(await getInfo(client)).toEqual({
      versions: ['U2F_V2', 'FIDO_2_0'], aaguid: 'f8a011f38c0a4d15800617111f9edc7d',
      options: { rk: true, up: true, plat: false, clientPin: false }, maxMsgSize: 1200, pinUvAuthProtocols: [1],
    });
  });

  it('a YubiKey Preview packed attestation verifies with its client data hash, and is not labelled a production YubiKey', async () => {
    const client = await CtapHidClient.open(replayTransport([ok(v.PACKED_PREVIEW_RESP)]));
    const made = await makeCredential(client, { clientDataHash: v.PACKED_PREVIEW_CDH, rp: { id: 'example.com' }, user: { id: Buffer.alloc(16) } });
    const cert = new X509Certificate((made.attStmt.get('x5c') as Buffer[])[0]!);
    expect(cert.issuer).toBe('CN=Yubico Preview FIDO Attestation');
    expect(verify('sha256', Buffer.concat([made.authData, v.PACKED_PREVIEW_CDH]), cert.publicKey, made.attStmt.get('sig') as Buffer)).toBe(true);
    expect(verifyChainToRoots([cert], new Date('2018-06-01T00:00:00Z')).ok).toBe(false);
  });

  it('a U2F registration by "Yubico U2F EE Serial 24918232477" verifies and chains to the Yubico U2F root', () => {
    const registration = parseRegistration(v.U2F_REGISTRATION);
    const cert = new X509Certificate(registration.certificate);
    const signed = Buffer.concat([Buffer.from([0x00]), v.U2F_APP_PARAM, v.U2F_CLIENT_PARAM, registration.keyHandle, registration.publicKey]);
    expect(verify('sha256', signed, cert.publicKey, registration.signature)).toBe(true);
    expect(verifyChainToRoots([cert], new Date('2020-01-01T00:00:00Z'))).toEqual({ ok: true, root: 'Yubico U2F Root CA Serial 457200631' });
  });

  it('an assertion: credential, flags, counter and signature exactly as python-fido2 reads them', async () => {
    const client = await CtapHidClient.open(replayTransport([ok(v._GA_RESP)]));
    const asserted = await getAssertion(client, { rpId: 'example.com', clientDataHash: Buffer.alloc(32), allowCredentialIds: [v._CRED_ID] });
    expect(asserted.credentialId?.equals(v._CRED_ID)).toBe(true);
    expect(asserted.authData.equals(v._AUTH_DATA_GA)).toBe(true);
    expect(asserted.signature.equals(v._SIGNATURE)).toBe(true);
    expect(parseAuthenticatorData(asserted.authData)).toMatchObject({ flags: 0x01, signCount: 29, userVerified: false });
  });

  it('PIN protocol 1 against python-fido2\'s vectors: ECDH shared secret, token, pinHashEnc, setPIN', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(v.EC_PRIV);
    expect(ecdh.getPublicKey().equals(Buffer.concat([Buffer.from([4]), v.EC_PUB_X, v.EC_PUB_Y]))).toBe(true);
    const shared = PIN_PROTOCOL_1.kdf(ecdh.computeSecret(Buffer.concat([Buffer.from([4]), v.DEV_PUB_X, v.DEV_PUB_Y])));
    expect(shared.equals(v.SHARED)).toBe(true);
    expect(PIN_PROTOCOL_1.decrypt(shared, v.TOKEN_ENC).equals(v.TOKEN)).toBe(true);
    expect(PIN_PROTOCOL_1.encrypt(shared, pinHash(Buffer.from('1234'))).equals(v.PIN_HASH_ENC)).toBe(true);
    const newPinEnc = PIN_PROTOCOL_1.encrypt(shared, paddedPin(Buffer.from('1234')));
    expect(newPinEnc.equals(v.SET_PIN_NEW_PIN_ENC)).toBe(true);
    expect(PIN_PROTOCOL_1.authenticate(shared, newPinEnc).equals(v.SET_PIN_PARAM)).toBe(true);
    expect(createHash('sha256').update('1234').digest().subarray(0, 16)).toEqual(pinHash(Buffer.from('1234')));
  });
});
