import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyChainToRoots } from '../../../../src-main/webauthn/attestation/attestation-chain';
import { parseAuthenticatorData } from '../../../../src-main/webauthn/authenticator-data';
import { decodeCanonical } from '../../../../src-main/webauthn/canonical-cbor-decode';
import { getPinRetries, tokenWithPin } from '../../../../src-main/hardware-key/ctap/client-pin';
import { coseToPublicKey } from '../../../../src-main/webauthn/cose-key';
import { getAssertion, getInfo, makeCredential } from '../../../../src-main/hardware-key/ctap/ctap2';
import { CtapHidClient } from '../../../../src-main/hardware-key/transport/ctaphid-client';
import { systemClock } from '../../../../src-main/hardware-key/key-clock';
import { u2fAuthenticate, u2fRegister } from '../../../../src-main/hardware-key/ctap/u2f';
import { replayTransport } from './replay-transport';

/** libfido2's fuzz/dummy.h: the client data hash and RP the recordings were made with. */
const DUMMY_CDH = Buffer.from('ec8d8f78424a2bb78234aaca07a1f656421cb6f6b3008652352da2624abe8976', 'hex');
const LOCALHOST = createHash('sha256').update('localhost').digest();

/** SEQUENCE { INTEGER r, INTEGER s } filling the whole buffer: an ECDSA signature's DER form. */
function isDerEcdsa(sig: Buffer): boolean {
  if (sig[0] !== 0x30 || sig[1] !== sig.length - 2 || sig[2] !== 0x02) return false;
  const r = sig[3]!;
  return sig[4 + r] === 0x02 && 4 + r + 2 + sig[5 + r]! === sig.length;
}

describe('replayed YubiKey traffic (libfido2 fuzz wire data) through the CTAPHID/CTAP2 client', () => {
  it('INIT and getInfo of a YubiKey 5 (FIDO_2_1, PIN/UV protocols 2 and 1)', async () => {
    const client = await CtapHidClient.open(replayTransport([['WIREDATA_CTAP_CBOR_INFO']]));
    expect(client.info).toMatchObject({ cid: 0x00220002, protocolVersion: 2, deviceVersion: [5, 2, 1], capabilities: 0x05 });
    const info = await getInfo(client);
    expect(info).toMatchObject({ versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE', 'FIDO_2_1', 'FIDO_2_3'], pinUvAuthProtocols: [2, 1], maxCredentialCountInList: 8, maxMsgSize: 1536 });
    expect(info.options).toMatchObject({ rk: true, up: true, plat: false, clientPin: false });
  });

  it('a keepalive (UPNEEDED) before the answer is reported and skipped', async () => {
    const statuses: number[] = [];
    const client = await CtapHidClient.open(replayTransport([['WIREDATA_CTAP_KEEPALIVE', 'WIREDATA_CTAP_CBOR_STATUS']]));
    expect(await client.cbor(Buffer.from([0x07]), { onKeepalive: (s) => statuses.push(s) })).toEqual(Buffer.from([0x00]));
    expect(statuses).toEqual([0x02]);
  });

  it('PIN retries and a PIN token (protocol 1) from the recorded key agreement', async () => {
    const transport = replayTransport([['WIREDATA_CTAP_CBOR_RETRIES'], ['WIREDATA_CTAP_CBOR_AUTHKEY'], ['WIREDATA_CTAP_CBOR_PINTOKEN']]);
    const client = await CtapHidClient.open(transport);
    expect(await getPinRetries(client)).toBe(8);
    const info = { versions: ['FIDO_2_0'], aaguid: '', options: { clientPin: true }, pinUvAuthProtocols: [1] };
    const token = await tokenWithPin(client, info, Buffer.from('9}4gT:8d=A37Dh}U'), 0x03, 'localhost');
    expect(token).toMatchObject({ via: 'pin' });
    expect(token.protocol.version).toBe(1);
    expect(token.token).toHaveLength(16);
    // What we sent: the legacy getPinToken (0x05) with our P-256 point and a 16-byte pinHashEnc.
    const request = decodeCanonical(transport.requests.at(-1)!, 1) as Map<number, unknown>;
    expect([request.get(1), request.get(2), (request.get(6) as Buffer).length]).toEqual([1, 5, 16]);
    expect((request.get(3) as Map<number, unknown>).get(3)).toBe(-25);
  });

  it('makeCredential: packed attestation with a Yubico certificate, attested ES256 key for "localhost"', async () => {
    const client = await CtapHidClient.open(replayTransport([['WIREDATA_CTAP_CBOR_CRED']]));
    const made = await makeCredential(client, { clientDataHash: DUMMY_CDH, rp: { id: 'localhost' }, user: { id: Buffer.alloc(32) } });
    expect(made.fmt).toBe('packed');
    const parsed = parseAuthenticatorData(made.authData);
    expect(parsed.rpIdHash.equals(LOCALHOST)).toBe(true);
    expect(parsed.attested?.aaguid.toString('hex')).toBe('f8a011f38c0a4d15800617111f9edc7d');
    coseToPublicKey(parsed.attested!.cosePublicKey);
    const cert = new X509Certificate((made.attStmt.get('x5c') as Buffer[])[0]!);
    expect(cert.subject).toMatch(/Yubico U2F EE Serial 1213939126/);
    // The recording's clientDataHash is not published, so the signature is checked for form only.
    expect(isDerEcdsa(made.attStmt.get('sig') as Buffer)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // A preview-CA certificate: a real Yubico key, but not one of the production roots.
    expect(verifyChainToRoots([cert], new Date('2018-06-01T00:00:00Z')).ok).toBe(false);
  });

  it('getAssertion: credential, flags and counter of a recorded assertion', async () => {
    const client = await CtapHidClient.open(replayTransport([['WIREDATA_CTAP_CBOR_ASSERT']]));
    const asserted = await getAssertion(client, { rpId: 'localhost', clientDataHash: DUMMY_CDH, allowCredentialIds: [Buffer.alloc(64, 1)] });
    expect(asserted.credentialId?.subarray(0, 4).toString('hex')).toBe('4a4c9ecc');
    const parsed = parseAuthenticatorData(asserted.authData);
    expect(parsed.rpIdHash.equals(LOCALHOST)).toBe(true);
    expect([parsed.flags, parsed.signCount]).toEqual([0x04, 9]);
    expect(asserted.signature[0]).toBe(0x30);
  });

  it('U2F: "touch needed" (6985), then REGISTER and AUTHENTICATE of a real key', async () => {
    const client = await CtapHidClient.open(replayTransport([['WIREDATA_CTAP_U2F_6985'], ['WIREDATA_CTAP_U2F_REGISTER'], ['WIREDATA_CTAP_U2F_AUTH']]));
    let prompted = 0;
    const registration = await u2fRegister(client, DUMMY_CDH, LOCALHOST, { clock: systemClock, pollMs: 1, onTouchNeeded: () => (prompted += 1) });
    expect(prompted).toBe(1);
    const cert = new X509Certificate(registration.certificate);
    expect(cert.issuer).toMatch(/Yubico/);
    expect(registration.publicKey[0]).toBe(0x04);
    expect(isDerEcdsa(registration.signature)).toBe(true);
    const signature = await u2fAuthenticate(client, DUMMY_CDH, LOCALHOST, registration.keyHandle, { clock: systemClock });
    expect(signature.authData[32]).toBe(0x01);
    expect(signature.authData.readUInt32BE(33)).toBe(44);
    expect(isDerEcdsa(signature.signature)).toBe(true);
  });
});
