import { describe, expect, it } from 'vitest';
import type { Checkpoint, EnrolledKey } from '../../../src-shared/journal/types';
import type { KeyService } from '../../../src-main/hardware-key/key-service';
import { verifyCheckpointSequence } from '../../../src-main/evidence/verify-checkpoint-sequence';
import { checkpointChallenge } from '../../../src-main/journal/checkpoint-challenge';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { createSoftwareKey } from '../../support/software-key';
import { virtualSetup } from '../hardware-key/helpers';

const CEREMONY = 'bg-20261121-hw000001';

async function checkpoint(service: KeyService, keys: EnrolledKey[], seq: number, step: string): Promise<Checkpoint> {
  const subject = { ceremony_id: CEREMONY, seq, head_hash: (seq + 1).toString(16).padStart(64, '0'), step };
  const cdh = checkpointChallenge(subject);
  const tap = await service.tap({ clientDataHash: cdh, allow: keys });
  return { ...subject, client_data_hash: cdh.toString('hex'), ...tap, created_at: '2026-11-21T09:30:00.000Z' };
}

describe('verifyCheckpointSequence', () => {
  it('accepts real taps in order and names the first bad checkpoint otherwise', async () => {
    const { service } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const cps = [
      await checkpoint(service, [key], 2, 'scenario'),
      await checkpoint(service, [key], 5, 'notify'),
      await checkpoint(service, [key], 9, 'login'),
    ];
    service.close();
    expect(verifyCheckpointSequence(cps, [key])).toEqual({ ok: true, count: 3, userVerified: [false, false, false] });

    const tampered = cps.map((c) => ({ ...c }));
    tampered[1]!.step = 'sign-out';
    const verdict = verifyCheckpointSequence(tampered, [key]);
    expect(verdict).toMatchObject({ ok: false, index: 1 });
    expect(!verdict.ok && verdict.reason).toMatch(/does not match the ceremony, seq, head hash and step/);

    const resigned = cps.map((c) => ({ ...c }));
    resigned[2]!.signature = cps[0]!.signature;
    expect(verifyCheckpointSequence(resigned, [key])).toMatchObject({ ok: false, index: 2 });

    expect(verifyCheckpointSequence(cps, [])).toMatchObject({ ok: false, index: 0 });
    const liedCount = cps.map((c) => ({ ...c }));
    liedCount[0]!.sign_count += 10;
    expect(verifyCheckpointSequence(liedCount, [key])).toMatchObject({ ok: false, index: 0 });
  });

  it('rejects a counter regression produced by the virtual key (a cloned key)', async () => {
    const { service, key: device } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const first = await checkpoint(service, [key], 1, 'scenario');
    const second = await checkpoint(service, [key], 3, 'notify');
    service.close();
    // A fresh service has no memory of the counter, as after a restart; the verifier must catch it.
    device.setFault({ counterRegression: true });
    const fresh = createKeyService({ discover: virtualDiscovery(device), rpId: key.rp_id });
    const third = await checkpoint(fresh, [key], 6, 'login');
    fresh.close();
    expect(third.sign_count).toBeLessThanOrEqual(second.sign_count);
    const verdict = verifyCheckpointSequence([first, second, third], [key]);
    expect(verdict).toMatchObject({ ok: false, index: 2 });
    expect(!verdict.ok && verdict.reason).toMatch(/counters must strictly increase/);
  });

  it('rejects an assertion without the user-presence flag', async () => {
    const { service } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const cp = await checkpoint(service, [key], 1, 'scenario');
    service.close();
    const authData = Buffer.from(cp.authenticator_data, 'base64');
    authData[32] = authData[32]! & ~0x01;
    const verdict = verifyCheckpointSequence([{ ...cp, authenticator_data: authData.toString('base64') }], [key]);
    expect(!verdict.ok && verdict.reason).toMatch(/user-presence flag not set/);
  });

  it('a key without a counter (always 0) is accepted; 0 after a non-zero counter is not', async () => {
    const soft = createSoftwareKey();
    const sign = (seq: number, count: number): Checkpoint => {
      const subject = { ceremony_id: CEREMONY, seq, head_hash: 'a'.repeat(64), step: `s${seq}` };
      const cdh = checkpointChallenge(subject);
      soft.setCounter(count - 1);
      return {
        ...subject,
        client_data_hash: cdh.toString('hex'),
        credential_id: soft.enrolled.credential_id,
        ...soft.sign(cdh),
        created_at: '2026-11-21T09:30:00.000Z',
      };
    };
    expect(verifyCheckpointSequence([sign(1, 0), sign(2, 0)], [soft.enrolled])).toEqual({
      ok: true,
      count: 2,
      userVerified: [false, false],
    });
    expect(verifyCheckpointSequence([sign(1, 4), sign(2, 0)], [soft.enrolled])).toMatchObject({ ok: false, index: 1 });
    expect(verifyCheckpointSequence([sign(1, 4), sign(2, 4)], [soft.enrolled])).toMatchObject({ ok: false, index: 1 });
    expect(verifyCheckpointSequence([sign(1, 4), sign(2, 9)], [soft.enrolled])).toEqual({
      ok: true,
      count: 2,
      userVerified: [false, false],
    });
  });
});
