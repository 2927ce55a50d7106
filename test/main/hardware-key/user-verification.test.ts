import { afterEach, describe, expect, it } from 'vitest';
import { KeyError } from '../../../src-main/webauthn/key-error';
import type { KeyService, PinRequest } from '../../../src-main/hardware-key/key-service';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import type { VirtualPinOptions } from '../../../src-main/hardware-key/virtual/virtual-client-pin';
import { challenge, virtualSetup } from './helpers';

const services: KeyService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

/** A virtual key with `pin` options and a PIN prompt that answers from `answers` in turn. */
function setup(
  pin: VirtualPinOptions,
  answers: Array<string | null> = [],
  service: { requireUserVerification?: boolean } = {},
) {
  const asked: PinRequest[] = [];
  const s = virtualSetup(
    { pin, touchDelayMs: 5, keepaliveIntervalMs: 5 },
    {
      ...service,
      askPin: async (request) => {
        asked.push(request);
        return answers.length > 0 ? answers.shift()! : null;
      },
    },
  );
  services.push(s.service);
  return { ...s, asked };
}

async function rejection(promise: Promise<unknown>): Promise<KeyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError);
    return error as KeyError;
  }
  throw new Error('expected a KeyError');
}

describe('user verification (CTAP 2.1 clientPIN) through the key service', () => {
  for (const protocols of [[2, 1], [1]]) {
    it(`an alwaysUv key enrols and taps with its PIN (PIN/UV protocol ${protocols[0]}); the UV flag is signed`, async () => {
      const { service, asked } = setup({ pin: '4821', alwaysUv: true, protocols }, ['4821', '4821']);
      const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
      expect(Buffer.from(key.enrolment_authenticator_data ?? '', 'base64')[32]! & 0x04).toBe(0x04);
      const cdh = challenge(1);
      const tap = await service.tap({ clientDataHash: cdh, allow: [key] });
      expect(tap.user_verified).toBe(true);
      expect(verifyAssertion(key, { ...tap, client_data_hash: cdh.toString('hex') })).toMatchObject({
        ok: true,
        userVerified: true,
      });
      expect(asked.map((a) => [a.operation, a.retries])).toEqual([
        ['enrol', 8],
        ['tap', 8],
      ]);
      expect(asked[0]!.message).toMatch(/always require user verification \(alwaysUv/);
    });
  }

  it('a key with a PIN but no alwaysUv is tapped without one (touch only, no UV flag)', async () => {
    const { service, asked } = setup({ pin: '4821' });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const tap = await service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(tap.user_verified).toBe(false);
    expect(asked).toEqual([]);
  });

  it('a wrong PIN is asked again with the tries left, in words', async () => {
    const { service, asked } = setup({ pin: '4821', alwaysUv: true }, ['1111', '4821']);
    await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(asked).toHaveLength(2);
    expect(asked[1]!.retries).toBe(7);
    expect(asked[1]!.message).toMatch(/The PIN is wrong .* 7 tries are left before the PIN is blocked\./);
  });

  it('three wrong PINs in a row: the key wants to be replugged, and says so', async () => {
    const { service } = setup({ pin: '4821', alwaysUv: true }, ['1111', '2222', '3333', '4821']);
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.code).toBe('pin-blocked');
    expect(error.message).toMatch(/unplugged and plugged in again/);
    expect(error.detail?.ctapStatus).toBe(0x34);
  });

  it('a blocked PIN is reported before any touch or prompt', async () => {
    const { service, asked, events } = setup({ pin: '4821', alwaysUv: true, pinRetries: 0 }, ['4821']);
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.code).toBe('key-unusable');
    expect(error.message).toMatch(/PIN is blocked .* use the backup key/);
    expect(asked).toEqual([]);
    expect(events).toEqual([]);
  });

  it('alwaysUv without a PIN set: GetInfo says which setting blocks it, before any touch', async () => {
    const { service, events } = setup({ alwaysUv: true });
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.code).toBe('key-unusable');
    expect(error.message).toMatch(/alwaysUv.*no FIDO PIN set/);
    expect(events).toEqual([]);
  });

  it('keys.require_user_verification makes a PIN-protected key verify, and blocks a key without a PIN', async () => {
    const withPin = setup({ pin: '4821' }, ['4821', '4821'], { requireUserVerification: true });
    const key = await withPin.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect((await withPin.service.tap({ clientDataHash: challenge(1), allow: [key] })).user_verified).toBe(true);
    const without = setup({}, [], { requireUserVerification: true });
    const error = await rejection(without.service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.message).toMatch(/keys\.require_user_verification/);
  });

  it('cancelling the PIN prompt cancels the step', async () => {
    const { service } = setup({ pin: '4821', alwaysUv: true }, [null]);
    expect((await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }))).code).toBe('cancelled');
  });

  it('a YubiKey Bio verifies by fingerprint (no PIN asked); a blocked reader falls back to the PIN', async () => {
    const bio = setup({ pin: '4821', builtInUv: true, alwaysUv: true });
    const key = await bio.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const tap = await bio.service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(tap.user_verified).toBe(true);
    expect(bio.asked).toEqual([]);
    expect(bio.events.some((e) => e.type === 'touch-needed')).toBe(true);

    const blocked = setup({ pin: '4821', builtInUv: true, alwaysUv: true, uvRetries: 0 }, ['4821']);
    await blocked.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(blocked.asked).toHaveLength(1);
  });

  it('a fingerprint that does not match is explained', async () => {
    const { service, key } = setup({ builtInUv: true, alwaysUv: true });
    key.setFault({ uvMismatch: 1 });
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.message).toMatch(/fingerprint was not recognised/);
  });
});

describe('a cancelled step withdraws its PIN prompt', () => {
  it('cancel() while the prompt is open ends the step as cancelled, without waiting for the PIN', async () => {
    let signalSeen: AbortSignal | undefined;
    const s = virtualSetup(
      { pin: { pin: '4821', alwaysUv: true }, touchDelayMs: 5 },
      {
        // Never answers: only the cancel can end the wait.
        askPin: (_request, signal) => {
          signalSeen = signal;
          return new Promise<string | null>(() => undefined);
        },
      },
    );
    services.push(s.service);
    const enrol = s.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    while (!signalSeen) await new Promise((resolve) => setImmediate(resolve));
    s.service.cancel();
    expect((await rejection(enrol)).code).toBe('cancelled');
    expect(signalSeen.aborted).toBe(true);
  });
});

describe('the key status says which setting blocks a key, before any touch', () => {
  it('alwaysUv without a PIN, a blocked PIN, and the configuration demanding UV of a key without a PIN', async () => {
    const noPin = setup({ alwaysUv: true });
    expect(await noPin.service.status()).toMatchObject({
      errorCode: 'key-unusable',
      error: expect.stringMatching(/always requires user verification \(alwaysUv\) but has no FIDO PIN set/),
      userVerification: { pin: 'not-set', fingerprint: false, alwaysUv: true },
    });
    const blocked = setup({ pin: '4821', alwaysUv: true, pinRetries: 0 });
    expect(await blocked.service.status()).toMatchObject({
      errorCode: 'key-unusable',
      error: expect.stringMatching(/PIN is blocked/),
    });
    const policy = setup({}, [], { requireUserVerification: true });
    expect(await policy.service.status()).toMatchObject({
      errorCode: 'key-unusable',
      error: expect.stringMatching(/keys\.require_user_verification/),
    });
    const fine = setup({ pin: '4821', alwaysUv: true });
    expect((await fine.service.status()).error).toBeUndefined();
    expect([noPin, blocked, policy, fine].every((s) => s.events.length === 0)).toBe(true);
  });
});
