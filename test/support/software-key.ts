import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { Checkpoint, EnrolledKey } from '../../src-shared/journal/types';
import { Flag, buildAssertionAuthData } from '../../src-main/webauthn/authenticator-data';
import { publicKeyToCose } from '../../src-main/webauthn/cose-key';
import { checkpointChallenge } from '../../src-main/journal/checkpoint-challenge';
import type { Journal } from '../../src-main/journal/journal';
import { VIRTUAL_AAGUID_HEX } from '../../src-main/webauthn/virtual-marks';
import { lowSSignature } from '../../src-shared/encoding/der-ecdsa';

/**
 * A P-256 key that signs assertions exactly as an authenticator does (authData ‖ clientDataHash,
 * DER ECDSA), without the HID layer: for tests of the journal/bundle side only.
 */
export function createSoftwareKey(
  options: { rpId?: string; operator?: string; label?: 'primary' | 'backup'; virtual?: boolean } = {},
) {
  const rpId = options.rpId ?? 'breakglass.local';
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(32).toString('base64url');
  let counter = 0;
  const enrolled: EnrolledKey = {
    credential_id: credentialId,
    operator: options.operator ?? 'taha@example.com',
    label: options.label ?? 'primary',
    rp_id: rpId,
    cose_public_key: publicKeyToCose(publicKey).toString('base64'),
    // A drill's key says it is the virtual one (the verifier refuses a drill signed by anything else).
    aaguid: options.virtual ? VIRTUAL_AAGUID_HEX : '00'.repeat(16),
    fmt: 'none',
    att_stmt: null,
    enrolment_authenticator_data: null,
    enrolment_client_data_hash: null,
    enrolled_at: '2026-11-01T00:00:00.000Z',
  };
  return {
    enrolled,
    setCounter(value: number) {
      counter = value;
    },
    sign(clientDataHash: Buffer, flags: number = Flag.UP) {
      counter += 1;
      const authData = buildAssertionAuthData(createHash('sha256').update(rpId).digest(), flags, counter);
      const signature = sign('sha256', Buffer.concat([authData, clientDataHash]), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      // The journal records the low-S spelling (ceremony-service.ts), so the stand-in signs in it too.
      return {
        authenticator_data: authData.toString('base64'),
        signature: lowSSignature(signature.toString('base64'))!,
        sign_count: counter,
      };
    },
  };
}

export type SoftwareKey = ReturnType<typeof createSoftwareKey>;

/** Locks `step` the way the ceremony does: sign the head, then record checkpoint + step_locked together. */
export function lockStep(
  journal: Journal,
  ceremonyId: string,
  step: string,
  key: SoftwareKey,
  now = new Date('2026-11-21T09:30:00.000Z'),
): Checkpoint {
  const head = journal.head(ceremonyId)!;
  const cdh = checkpointChallenge({ ceremony_id: ceremonyId, seq: head.seq, head_hash: head.hash, step });
  const signed = key.sign(cdh);
  const checkpoint: Checkpoint = {
    ceremony_id: ceremonyId,
    seq: head.seq,
    head_hash: head.hash,
    step,
    client_data_hash: cdh.toString('hex'),
    credential_id: key.enrolled.credential_id,
    ...signed,
    created_at: now.toISOString(),
  };
  journal.appendLocked(
    ceremonyId,
    'step_locked',
    {
      step,
      checkpoint: {
        seq: head.seq,
        head_hash: head.hash,
        credential_id: key.enrolled.credential_id,
        sign_count: signed.sign_count,
        client_data_hash: checkpoint.client_data_hash,
        signature: signed.signature,
      },
    },
    checkpoint,
  );
  return checkpoint;
}
