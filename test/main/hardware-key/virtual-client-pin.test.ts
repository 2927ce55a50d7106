import { describe, expect, it } from 'vitest';
import { encodeCtapMessage } from '../../../src-main/webauthn/canonical-cbor';
import { authParam, tokenWithPin } from '../../../src-main/hardware-key/ctap/client-pin';
import { Permission } from '../../../src-main/hardware-key/ctap/client-pin-constants';
import { getAssertion, getInfo, makeCredential } from '../../../src-main/hardware-key/ctap/ctap2';
import { CtapHidClient } from '../../../src-main/hardware-key/transport/ctaphid-client';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { challenge, RP_ID } from './helpers';

async function status(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return 0;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError);
    return (error as KeyError).detail?.ctapStatus;
  }
}

async function setup() {
  const key = createVirtualAuthenticator({ touchDelayMs: 0, pin: { pin: '4821' } });
  const client = await CtapHidClient.open(key.transport());
  const info = await getInfo(client);
  const user = { id: Buffer.alloc(16, 1), name: 'taha@example.com' };
  return { key, client, info, user };
}

describe("the virtual key's authenticatorClientPIN (what a drill practises against)", () => {
  it('getInfo says a PIN is set, which protocols, and that tokens carry permissions', async () => {
    const { info } = await setup();
    expect(info.options).toMatchObject({ clientPin: true, pinUvAuthToken: true, makeCredUvNotRqd: true });
    expect(info.pinUvAuthProtocols).toEqual([2, 1]);
    expect(info.versions).toContain('FIDO_2_1');
  });

  it('a token is for its permission and its RP only, and makeCredential uses up its mc permission', async () => {
    const { client, info, user } = await setup();
    const gaOnly = await tokenWithPin(client, info, Buffer.from('4821'), Permission.GA, RP_ID);
    expect(
      await status(
        makeCredential(client, {
          clientDataHash: challenge(1),
          rp: { id: RP_ID },
          user,
          pinUvAuth: authParam(gaOnly, challenge(1)),
        }),
      ),
    ).toBe(0x40);
    const both = await tokenWithPin(client, info, Buffer.from('4821'), Permission.MC | Permission.GA, RP_ID);
    const made = await makeCredential(client, {
      clientDataHash: challenge(2),
      rp: { id: RP_ID },
      user,
      pinUvAuth: authParam(both, challenge(2)),
    });
    expect(made.authData[32]! & 0x05).toBe(0x05);
    expect(
      await status(
        makeCredential(client, {
          clientDataHash: challenge(3),
          rp: { id: RP_ID },
          user,
          pinUvAuth: authParam(both, challenge(3)),
        }),
      ),
    ).toBe(0x40);
    const id = made.authData.subarray(55, 55 + made.authData.readUInt16BE(53));
    expect(
      await status(
        getAssertion(client, {
          rpId: 'other.example',
          clientDataHash: challenge(4),
          allowCredentialIds: [id],
          pinUvAuth: authParam(both, challenge(4)),
        }),
      ),
    ).toBe(0x40);
    const signed = await getAssertion(client, {
      rpId: RP_ID,
      clientDataHash: challenge(5),
      allowCredentialIds: [id],
      pinUvAuth: authParam(both, challenge(5)),
    });
    expect(signed.authData[32]! & 0x05).toBe(0x05);
    // A pinUvAuthParam over another challenge is refused.
    expect(
      await status(
        getAssertion(client, {
          rpId: RP_ID,
          clientDataHash: challenge(6),
          allowCredentialIds: [id],
          pinUvAuth: authParam(both, challenge(7)),
        }),
      ),
    ).toBe(0x33);
  });

  it('replugging ends every token; an unknown protocol and an invalid key-agreement point are refused', async () => {
    const { key, client, info, user } = await setup();
    const token = await tokenWithPin(client, info, Buffer.from('4821'), Permission.MC, RP_ID);
    key.unplug();
    key.plugIn();
    const again = await CtapHidClient.open(key.transport());
    expect(
      await status(
        makeCredential(again, {
          clientDataHash: challenge(1),
          rp: { id: RP_ID },
          user,
          pinUvAuth: authParam(token, challenge(1)),
        }),
      ),
    ).toBe(0x33);
    expect(
      await status(
        makeCredential(again, {
          clientDataHash: challenge(1),
          rp: { id: RP_ID },
          user,
          pinUvAuth: { param: Buffer.alloc(32), protocol: 3 },
        }),
      ),
    ).toBe(0x02);
    const refused = await again.cbor(
      encodeCtapMessage(
        0x06,
        new Map<number, unknown>([
          [1, 2],
          [2, 3],
          [
            3,
            new Map<number, unknown>([
              [1, 2],
              [3, -25],
              [-1, 1],
              [-2, Buffer.alloc(32)],
              [-3, Buffer.alloc(32)],
            ]),
          ],
          [4, Buffer.alloc(32)],
          [5, Buffer.alloc(80)],
        ]),
      ),
    );
    // setPIN with a key-agreement point that is not on the curve: refused before anything else.
    expect(refused[0]).toBe(0x02);
  });
});
