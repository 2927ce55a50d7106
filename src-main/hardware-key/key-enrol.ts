import { randomBytes } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import type { AttestationStatement, EnrolledKey } from '../../src-shared/journal/types';
import { parseAuthenticatorData, buildAttestedAuthData, Flag } from '../webauthn/authenticator-data';
import { forget, authParam } from './ctap/client-pin';
import { coseToPublicKey, rawP256ToCose } from '../webauthn/cose-key';
import { makeCredential } from './ctap/ctap2';
import { KeyError } from '../webauthn/key-error';
import { u2fKnowsHandle, u2fRegister } from './ctap/u2f';
import { checkOwnAttestation, statementOf } from '../webauthn/attestation/own-attestation';
import { refuseU2fWhenUvRequired, sha256, u2fCall, verification, type KeyContext } from './key-context';
import type { EnrolRequest } from './key-service-types';

/** Creates a credential on the key (CTAP2, or U2F on an old key) and checks its own attestation. */
export async function enrolKey(context: KeyContext, request: EnrolRequest): Promise<EnrolledKey> {
  const { rpId, clock, requireUv } = context;
  if (typeof request.operator !== 'string' || request.operator.trim() === '')
    throw new KeyError('invalid-input', 'operator is required to enrol a key');
  if (request.label !== 'primary' && request.label !== 'backup')
    throw new KeyError('invalid-input', 'label must be "primary" or "backup"');
  const exclude = (request.excludeCredentialIds ?? []).map((id) => Buffer.from(id, 'base64url'));
  const enrolledAt = new Date(clock.now()).toISOString();
  // The enrolment challenge names who, which slot and when, so the attestation is bound to it.
  const clientDataHash = sha256(
    canonicalize({
      purpose: 'breakglass-enrolment',
      rp_id: rpId,
      operator: request.operator,
      label: request.label,
      enrolled_at: enrolledAt,
      nonce: randomBytes(16).toString('hex'),
    }),
  );
  const rpIdHash = sha256(rpId);
  return context.withKey('enrol', undefined, async (client, call) => {
    let fmt: string;
    let authData: Buffer;
    let attStmt: AttestationStatement | null;
    if (client.supportsCbor) {
      const token = await verification(context, client, call, 'enrol', 0);
      let response;
      try {
        response = await makeCredential(
          client,
          {
            clientDataHash,
            rp: { id: rpId, name: 'Breakglass' },
            user: {
              id: sha256(`breakglass-operator:${request.operator}`).subarray(0, 16),
              name: request.operator,
              displayName: request.operator,
            },
            excludeCredentialIds: exclude,
            ...(token ? { pinUvAuth: authParam(token, clientDataHash) } : {}),
          },
          call,
        );
      } finally {
        forget(token);
      }
      fmt = response.fmt;
      authData = response.authData;
      attStmt = statementOf(response.attStmt);
    } else {
      refuseU2fWhenUvRequired(context);
      for (const id of exclude) {
        if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id))
          throw new KeyError('already-enrolled', 'This key is already enrolled. Use a different key for the backup.');
      }
      const registration = await u2fRegister(client, clientDataHash, rpIdHash, u2fCall(context, call));
      const cose = rawP256ToCose(registration.publicKey);
      authData = buildAttestedAuthData(rpIdHash, Flag.UP, 0, {
        aaguid: Buffer.alloc(16),
        credentialId: registration.keyHandle,
        cosePublicKey: cose,
      });
      fmt = 'fido-u2f';
      attStmt = {
        sig: registration.signature.toString('base64'),
        x5c: [registration.certificate.toString('base64')],
      };
    }
    const parsed = parseAuthenticatorData(authData);
    if (!parsed.attested) throw new KeyError('protocol', 'The key created a credential but did not return it.');
    if (!parsed.rpIdHash.equals(rpIdHash))
      throw new KeyError('protocol', 'The key created a credential for another relying party.');
    if (!parsed.userPresent)
      throw new KeyError('not-touched', 'The key created a credential without a touch; refusing it.');
    if (requireUv && !parsed.userVerified)
      throw new KeyError(
        'pin-required',
        'The key created a credential without verifying its user (no UV flag), which the configuration requires; refusing it.',
      );
    coseToPublicKey(parsed.attested.cosePublicKey);
    checkOwnAttestation(
      fmt,
      attStmt,
      authData,
      clientDataHash,
      parsed.attested.credentialId,
      parsed.attested.cosePublicKey,
      rpIdHash,
    );
    return {
      credential_id: parsed.attested.credentialId.toString('base64url'),
      operator: request.operator,
      label: request.label,
      rp_id: rpId,
      cose_public_key: parsed.attested.cosePublicKey.toString('base64'),
      aaguid: parsed.attested.aaguid.toString('hex'),
      fmt,
      att_stmt: attStmt,
      enrolment_authenticator_data: authData.toString('base64'),
      enrolment_client_data_hash: clientDataHash.toString('hex'),
      enrolled_at: enrolledAt,
    };
  });
}
