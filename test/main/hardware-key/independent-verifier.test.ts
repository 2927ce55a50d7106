import { createHash } from 'node:crypto';
import { decodeCredentialPublicKey, parseAuthenticatorData, verifySignature } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import { challenge, RP_ID, virtualSetup } from './helpers';

/**
 * A second, independent implementation (SimpleWebAuthn, WebCrypto underneath) must agree with
 * ours on an assertion and an attestation produced over the HID report seam.
 */
describe('independent check with @simplewebauthn/server helpers', () => {
  it('agrees on the credential, the authenticator data and both signatures', async () => {
    const { service } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const cdh = challenge(42);
    const tap = await service.tap({ clientDataHash: cdh, allow: [key] });
    service.close();

    const enrolment = Buffer.from(key.enrolment_authenticator_data!, 'base64');
    const parsedEnrolment = parseAuthenticatorData(new Uint8Array(enrolment));
    expect(Buffer.from(parsedEnrolment.rpIdHash).equals(createHash('sha256').update(RP_ID).digest())).toBe(true);
    expect(Buffer.from(parsedEnrolment.credentialID!).toString('base64url')).toBe(key.credential_id);
    expect(Buffer.from(parsedEnrolment.credentialPublicKey!).toString('base64')).toBe(key.cose_public_key);
    const cose = decodeCredentialPublicKey(new Uint8Array(Buffer.from(key.cose_public_key, 'base64')));
    expect(cose.get(3)).toBe(-7);

    const authData = Buffer.from(tap.authenticator_data, 'base64');
    const parsed = parseAuthenticatorData(new Uint8Array(authData));
    expect(parsed.flags.up).toBe(true);
    expect(parsed.counter).toBe(tap.sign_count);
    const assertionOk = await verifySignature({
      signature: new Uint8Array(Buffer.from(tap.signature, 'base64')),
      data: new Uint8Array(Buffer.concat([authData, cdh])),
      credentialPublicKey: new Uint8Array(Buffer.from(key.cose_public_key, 'base64')),
    });
    expect(assertionOk).toBe(true);
    expect(verifyAssertion(key, { ...tap, client_data_hash: cdh.toString('hex') }).ok).toBe(true);

    // Both verifiers reject the signature over a different challenge.
    const other = challenge(43);
    const wrong = await verifySignature({
      signature: new Uint8Array(Buffer.from(tap.signature, 'base64')),
      data: new Uint8Array(Buffer.concat([authData, other])),
      credentialPublicKey: new Uint8Array(Buffer.from(key.cose_public_key, 'base64')),
    });
    expect(wrong).toBe(false);
    expect(verifyAssertion(key, { ...tap, client_data_hash: other.toString('hex') }).ok).toBe(false);

    const attestationOk = await verifySignature({
      signature: new Uint8Array(Buffer.from(key.att_stmt!.sig!, 'base64')),
      data: new Uint8Array(Buffer.concat([enrolment, Buffer.from(key.enrolment_client_data_hash!, 'hex')])),
      x509Certificate: new Uint8Array(Buffer.from(key.att_stmt!.x5c![0]!, 'base64')),
    });
    expect(attestationOk).toBe(true);
  });
});
