import { getBytes, getInt } from '../../webauthn/canonical-cbor-decode';
import { ClientPinSub } from './client-pin-constants';
import { responseMap, send, type AuthenticatorInfo, type PinUvAuth } from './ctap2';
import { Ctap2Cmd, Ctap2Status } from '../transport/ctaphid-constants';
import { NO_OPTIONS, type CallOptions, type CtapHidClient } from '../transport/ctaphid-client';
import { isKeyError, KeyError } from '../../webauthn/key-error';
import {
  coseToPoint,
  ecdhSharedSecret,
  keyAgreementCose,
  pinHash,
  pinProtocol,
  type PinUvProtocol,
} from './pin-protocol';
import { pinStatusError } from './pin-status';

/**
 * The client side of CTAP 2.1 authenticatorClientPIN (§6.5): a pinUvAuthToken from the PIN or
 * from built-in UV (YubiKey Bio), used for exactly one makeCredential or getAssertion. The PIN
 * arrives as bytes and leaves as LEFT(SHA-256(PIN), 16) encrypted to the key; the caller zeroes
 * its buffer, and the token is zeroed by `forget` once the one request is signed.
 */
export interface PinUvToken {
  protocol: PinUvProtocol;
  token: Buffer;
  via: 'pin' | 'uv';
}

/** The first protocol the key prefers that we speak; CTAP 2.0 keys list none and speak 1. */
export function chooseProtocol(info: AuthenticatorInfo): PinUvProtocol {
  for (const version of info.pinUvAuthProtocols) {
    const protocol = pinProtocol(version);
    if (protocol) return protocol;
  }
  if (info.pinUvAuthProtocols.length > 0)
    throw new KeyError(
      'key-unusable',
      `The key offers PIN/UV protocols ${info.pinUvAuthProtocols.join(', ')}; Breakglass speaks 1 and 2.`,
    );
  return pinProtocol(1)!;
}

function command(
  client: CtapHidClient,
  protocol: number | null,
  sub: number,
  extra: Array<[number, unknown]>,
  call: CallOptions,
): Promise<Buffer> {
  const params = new Map<number, unknown>();
  if (protocol !== null) params.set(0x01, protocol);
  params.set(0x02, sub);
  for (const [k, v] of extra) params.set(k, v);
  return send(client, Ctap2Cmd.CLIENT_PIN, params, { timeoutMs: 10_000, ...call });
}

export async function getPinRetries(client: CtapHidClient, call: CallOptions = NO_OPTIONS): Promise<number> {
  return getInt(
    responseMap(await command(client, 1, ClientPinSub.GET_PIN_RETRIES, [], call), 'PIN retries'),
    0x03,
    'pinRetries',
  );
}

export async function getUvRetries(client: CtapHidClient, call: CallOptions = NO_OPTIONS): Promise<number> {
  return getInt(
    responseMap(await command(client, 1, ClientPinSub.GET_UV_RETRIES, [], call), 'fingerprint retries'),
    0x05,
    'uvRetries',
  );
}

/** getKeyAgreement, then our half of the ECDH: the COSE key to send and the shared secret. */
async function agree(
  client: CtapHidClient,
  protocol: PinUvProtocol,
  call: CallOptions,
): Promise<{ keyAgreement: Map<number, unknown>; shared: Buffer }> {
  const map = responseMap(
    await command(client, protocol.version, ClientPinSub.GET_KEY_AGREEMENT, [], call),
    'PIN key agreement',
  );
  const { publicPoint, sharedSecret } = ecdhSharedSecret(protocol, coseToPoint(map.get(0x01)));
  return { keyAgreement: keyAgreementCose(publicPoint), shared: sharedSecret };
}

function decryptToken(protocol: PinUvProtocol, shared: Buffer, map: Map<unknown, unknown>): Buffer {
  const token = protocol.decrypt(shared, getBytes(map, 0x02, 'pinUvAuthToken'));
  if (protocol.version === 2 ? token.length !== 32 : token.length !== 16 && token.length !== 32) {
    throw new KeyError('protocol', `The key sent a ${token.length}-byte PIN token.`);
  }
  return token;
}

/**
 * A token for `permissions` on `rpId` from the PIN. The CTAP 2.1 form (0x09) when the key has
 * pinUvAuthToken, else CTAP 2.0's getPinToken (0x05). A wrong PIN says how many tries are left.
 */
export async function tokenWithPin(
  client: CtapHidClient,
  info: AuthenticatorInfo,
  pin: Buffer,
  permissions: number,
  rpId: string,
  call: CallOptions = NO_OPTIONS,
): Promise<PinUvToken> {
  const protocol = chooseProtocol(info);
  const { keyAgreement, shared } = await agree(client, protocol, call);
  const hash = pinHash(pin);
  const pinHashEnc = protocol.encrypt(shared, hash);
  hash.fill(0);
  const modern = info.options.pinUvAuthToken === true;
  const extra: Array<[number, unknown]> = [
    [0x03, keyAgreement],
    [0x06, pinHashEnc],
  ];
  if (modern) extra.push([0x09, permissions], [0x0a, rpId]);
  try {
    const map = responseMap(
      await command(
        client,
        protocol.version,
        modern ? ClientPinSub.GET_TOKEN_USING_PIN_WITH_PERMISSIONS : ClientPinSub.GET_PIN_TOKEN,
        extra,
        call,
      ),
      'PIN check',
    );
    return { protocol, token: decryptToken(protocol, shared, map), via: 'pin' };
  } catch (error) {
    if (isKeyError(error, 'pin-invalid') && error.detail?.ctapStatus === Ctap2Status.PIN_INVALID) {
      throw pinStatusError(
        Ctap2Status.PIN_INVALID,
        'PIN check',
        await getPinRetries(client, call).catch(() => undefined),
      );
    }
    throw error;
  } finally {
    shared.fill(0);
  }
}

/** A token from built-in UV (the fingerprint): the key asks for the finger with UPNEEDED keepalives. */
export async function tokenWithUv(
  client: CtapHidClient,
  info: AuthenticatorInfo,
  permissions: number,
  rpId: string,
  call: CallOptions = NO_OPTIONS,
): Promise<PinUvToken> {
  const protocol = chooseProtocol(info);
  const { keyAgreement, shared } = await agree(client, protocol, call);
  try {
    const map = responseMap(
      await command(
        client,
        protocol.version,
        ClientPinSub.GET_TOKEN_USING_UV_WITH_PERMISSIONS,
        [
          [0x03, keyAgreement],
          [0x09, permissions],
          [0x0a, rpId],
        ],
        call,
      ),
      'fingerprint check',
    );
    return { protocol, token: decryptToken(protocol, shared, map), via: 'uv' };
  } finally {
    shared.fill(0);
  }
}

/** pinUvAuthParam over the clientDataHash, as makeCredential and getAssertion expect it. */
export function authParam(token: PinUvToken, clientDataHash: Buffer): PinUvAuth {
  return { param: token.protocol.authenticate(token.token, clientDataHash), protocol: token.protocol.version };
}

export function forget(token: PinUvToken | null): void {
  token?.token.fill(0);
}
