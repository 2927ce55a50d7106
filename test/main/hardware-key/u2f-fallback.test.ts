import { afterEach, describe, expect, it } from 'vitest';
import { describeAuthenticator } from '../../../src-main/webauthn/describe-authenticator';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { createKeyService, type KeyService } from '../../../src-main/hardware-key/key-service';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { challenge, RP_ID, virtualSetup } from './helpers';

const services: KeyService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

function u2fKey(options: Parameters<typeof virtualSetup>[0] = {}) {
  const s = virtualSetup({ u2fOnly: true, ...options });
  services.push(s.service);
  return s;
}

async function failure(promise: Promise<unknown>): Promise<KeyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyError);
  return error as KeyError;
}

describe('U2F (CTAPHID_MSG) fallback for keys without CAPABILITY_CBOR', () => {
  it('enrols with U2F REGISTER and signs with AUTHENTICATE; the same verifier accepts it', async () => {
    const { service } = u2fKey();
    expect(await service.status()).toMatchObject({ present: true, protocol: 'u2f' });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(key).toMatchObject({ fmt: 'fido-u2f', aaguid: '00'.repeat(16), rp_id: RP_ID });
    expect(key.att_stmt?.x5c).toHaveLength(1);
    expect(describeAuthenticator(key)).toMatchObject({ kind: 'virtual', label: 'virtual key' });
    const cdh = challenge(5);
    const tap = await service.tap({ clientDataHash: cdh, allow: [key] });
    expect(verifyAssertion(key, { ...tap, client_data_hash: cdh.toString('hex') })).toEqual({
      ok: true,
      signCount: tap.sign_count,
      userPresent: true,
      userVerified: false,
    });
    const next = await service.tap({ clientDataHash: challenge(6), allow: [key] });
    expect(next.sign_count).toBeGreaterThan(tap.sign_count);
  });

  it('polls while the key answers 6985 and raises the touch prompt once', async () => {
    const { service, events } = u2fKey({ touchDelayMs: 250 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'touch-needed', operation: 'enrol' }),
      { type: 'touch-done', operation: 'enrol', ok: true },
    ]);
    events.length = 0;
    await service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(events).toEqual([
      expect.objectContaining({ type: 'touch-needed', operation: 'tap' }),
      { type: 'touch-done', operation: 'tap', ok: true },
    ]);
  });

  it('finds the enrolled handle with check-only probes; a foreign key is wrong-key (6A80)', async () => {
    const a = u2fKey();
    const key = await a.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const b = u2fKey();
    expect((await failure(b.service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('wrong-key');
    a.key.setFault({ wrongKey: true });
    expect((await failure(a.service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('wrong-key');
  });

  it('no touch → not-touched at the host deadline', async () => {
    const device = createVirtualAuthenticator({ u2fOnly: true, touchDelayMs: 0 });
    const service = createKeyService({ discover: virtualDiscovery(device), rpId: RP_ID, touchTimeoutMs: 300 });
    services.push(service);
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ noTouch: true });
    expect((await failure(service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('not-touched');
  });

  it('cancel stops the polling', async () => {
    const { service, key: device, events } = u2fKey({ touchDelayMs: 0 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ noTouch: true });
    const tapping = service.tap({ clientDataHash: challenge(1), allow: [key] });
    while (!events.some((e) => e.type === 'touch-needed')) await new Promise((r) => setTimeout(r, 5));
    service.cancel();
    expect((await failure(tapping)).code).toBe('cancelled');
  });

  it('refuses to enrol the same key twice', async () => {
    const { service } = u2fKey();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(
      (
        await failure(
          service.enrol({ operator: 'taha@example.com', label: 'backup', excludeCredentialIds: [key.credential_id] }),
        )
      ).code,
    ).toBe('already-enrolled');
  });

  it('unplugging during U2F polling is reported as unplugged', async () => {
    const { service, key: device } = u2fKey({ touchDelayMs: 200 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ unplugMidTransaction: true });
    expect((await failure(service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('unplugged');
  });
});
