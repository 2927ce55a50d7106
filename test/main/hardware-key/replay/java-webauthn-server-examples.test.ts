import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCanonical } from '../../../../src-main/webauthn/canonical-cbor-decode';
import { describeAuthenticator } from '../../../../src-main/webauthn/describe-authenticator';
import { verifyAssertion } from '../../../../src-main/webauthn/verify-assertion';
import { decode } from 'cbor2';
import type { EnrolledKey } from '../../../../src-shared/journal/types';
import { parseAuthenticatorData } from '../../../../src-main/webauthn/authenticator-data';
import { enrolledFrom } from '../fixtures/yubikey-attestations';

interface Example {
  rp_id: string;
  attestation: { client_data_json: string; attestation_object: string };
  assertion: { credential_id: string; client_data_json: string; authenticator_data: string; signature: string };
}

interface OtherMaker {
  rp_id: string;
  client_data_json: string;
  attestation_object: string;
}

// Read at run time rather than imported: the test project compiles only TypeScript files.
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'java-webauthn-server-real-examples.json'), 'utf8')) as { examples: Record<string, Example>; other_makers: Record<string, OtherMaker> };
const examples = fixture.examples;

/** Any maker's registration as Breakglass would store it (attestation statement fields as given). */
function enrolledOther(sample: OtherMaker): EnrolledKey {
  const object = decode(Buffer.from(sample.attestation_object, 'base64')) as { fmt: string; attStmt: { alg?: number; sig?: Uint8Array; x5c?: Uint8Array[] }; authData: Uint8Array };
  const authData = Buffer.from(object.authData);
  const attested = parseAuthenticatorData(authData).attested!;
  return {
    credential_id: attested.credentialId.toString('base64url'), operator: 'taha@example.com', label: 'primary', rp_id: sample.rp_id,
    cose_public_key: attested.cosePublicKey.toString('base64'), aaguid: attested.aaguid.toString('hex'), fmt: object.fmt,
    att_stmt: {
      ...(object.attStmt.alg === undefined ? {} : { alg: object.attStmt.alg }),
      ...(object.attStmt.sig ? { sig: Buffer.from(object.attStmt.sig).toString('base64') } : {}),
      ...(object.attStmt.x5c ? { x5c: object.attStmt.x5c.map((c) => Buffer.from(c).toString('base64')) } : {}),
    },
    enrolment_authenticator_data: authData.toString('base64'),
    enrolment_client_data_hash: createHash('sha256').update(sample.client_data_json, 'utf8').digest('hex'),
    enrolled_at: '2026-11-01T00:00:00.000Z',
  };
}

function coseAlg(coseBase64: string): unknown {
  return (decodeCanonical(Buffer.from(coseBase64, 'base64')) as Map<number, unknown>).get(3);
}

/** The key Breakglass would have enrolled from the example's registration. */
function enrolled(example: Example) {
  const key = enrolledFrom({
    attestationObject: Buffer.from(example.attestation.attestation_object, 'base64').toString('base64url'),
    clientDataJSON: Buffer.from(example.attestation.client_data_json, 'utf8').toString('base64url'),
  });
  return { ...key, rp_id: example.rp_id };
}

describe('real YubiKey registrations and assertions (java-webauthn-server RealExamples)', () => {
  const names = Object.keys(examples);

  it('holds every YubiKey generation from NEO to Bio, FIPS included', () => {
    expect(names).toEqual(expect.arrayContaining(['YubiKeyNeo', 'YubiKey4', 'YubiKey5Nfc', 'SecurityKey', 'YubikeyFips5Nfc', 'Yubikey5ciFips', 'YubikeyBio_5_5_4', 'YubikeyBio_5_5_6']));
  });

  for (const name of names) {
    it(`${name}: enrolment is "hardware: YubiKey", the assertion verifies (ES256) and its UV flag is reported`, () => {
      const example = examples[name]!;
      const key = enrolled(example);
      expect(key.credential_id).toBe(Buffer.from(example.assertion.credential_id, 'base64').toString('base64url'));
      expect(describeAuthenticator(key)).toMatchObject({ kind: 'hardware', label: 'hardware: YubiKey' });
      const authData = Buffer.from(example.assertion.authenticator_data, 'base64');
      const verdict = verifyAssertion(key, {
        authenticator_data: example.assertion.authenticator_data,
        client_data_hash: createHash('sha256').update(example.assertion.client_data_json, 'utf8').digest('hex'),
        signature: example.assertion.signature,
      });
      // Breakglass asks keys for ES256 only; two examples were registered with EdDSA by a browser.
      if (coseAlg(key.cose_public_key) !== -7) {
        expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/Not an ES256 P-256 COSE public key/) });
        return;
      }
      expect(verdict).toEqual({ ok: true, signCount: authData.readUInt32BE(33), userPresent: true, userVerified: (authData[32]! & 0x04) !== 0 });
      // One byte of the signed data changed and the signature no longer verifies.
      const tampered = Buffer.from(authData);
      tampered[36]! ^= 0x01;
      expect(verifyAssertion(key, { ...example.assertion, authenticator_data: tampered.toString('base64'), client_data_hash: createHash('sha256').update(example.assertion.client_data_json, 'utf8').digest('hex') }).ok).toBe(false);
    });
  }

  it('the assertions made with user verification (the Bios, a FIPS key, a Nano) say so; the rest say "touched" only', () => {
    const verified = names.filter((n) => (Buffer.from(examples[n]!.assertion.authenticator_data, 'base64')[32]! & 0x04) !== 0);
    expect(verified).toEqual(['YubiKey5Nano', 'YubikeyFips5Nfc', 'YubikeyBio_5_5_4', 'YubikeyBio_5_5_5', 'YubikeyBio_5_5_6']);
  });

  it('real attestations from other makers (Apple iOS and macOS, Windows Hello and ThinkPad TPMs) are never "hardware: YubiKey"', () => {
    const others = Object.entries(fixture.other_makers);
    expect(others.map(([n]) => n)).toEqual(['AppleAttestationIos', 'AppleAttestationMacos', 'WindowsHelloTpm', 'ThinkpadTpm']);
    for (const [name, sample] of others) {
      const described = describeAuthenticator(enrolledOther(sample));
      expect(described.kind, name).toBe('unknown');
      expect(described.label).toBe('unknown authenticator');
    }
  });
});
