import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { KeyError } from '../../webauthn/key-error';

/**
 * CTAP 2.1 §6.5.6 / §6.5.7: PIN/UV auth protocols 1 and 2. The same primitives serve the client
 * (platform side) and the virtual authenticator (authenticator side), so a drill exercises the
 * exact bytes a YubiKey checks; test/main/hardware-key/interop/pin-protocol.test.ts holds both
 * against python-fido2's implementation.
 */
export type PinUvProtocolVersion = 1 | 2;

export interface PinUvProtocol {
  readonly version: PinUvProtocolVersion;
  /** Shared secret from the ECDH x-coordinate Z: SHA-256(Z) (v1) or HKDF HMAC key ‖ AES key (v2). */
  kdf(z: Buffer): Buffer;
  encrypt(key: Buffer, plaintext: Buffer): Buffer;
  decrypt(key: Buffer, ciphertext: Buffer): Buffer;
  /** pinUvAuthParam: HMAC-SHA-256, truncated to 16 bytes in v1. */
  authenticate(key: Buffer, message: Buffer): Buffer;
  /** Constant-time check of a pinUvAuthParam. */
  verify(key: Buffer, message: Buffer, signature: Buffer): boolean;
}

const ZERO_IV = Buffer.alloc(16);
const HKDF_SALT = Buffer.alloc(32);

function aesCbc(key: Buffer, iv: Buffer, data: Buffer, encrypt: boolean): Buffer {
  if (data.length % 16 !== 0)
    throw new KeyError('protocol', 'PIN protocol: ciphertext is not a whole number of AES blocks.');
  const cipher = encrypt ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

function hmac(key: Buffer, message: Buffer): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export const PIN_PROTOCOL_1: PinUvProtocol = {
  version: 1,
  kdf: (z) => createHash('sha256').update(z).digest(),
  encrypt: (key, plaintext) => aesCbc(key.subarray(0, 32), ZERO_IV, plaintext, true),
  decrypt: (key, ciphertext) => aesCbc(key.subarray(0, 32), ZERO_IV, ciphertext, false),
  authenticate: (key, message) => hmac(key, message).subarray(0, 16),
  verify: (key, message, signature) => equal(hmac(key, message).subarray(0, 16), signature),
};

export const PIN_PROTOCOL_2: PinUvProtocol = {
  version: 2,
  kdf: (z) =>
    Buffer.concat([
      Buffer.from(hkdfSync('sha256', z, HKDF_SALT, 'CTAP2 HMAC key', 32)),
      Buffer.from(hkdfSync('sha256', z, HKDF_SALT, 'CTAP2 AES key', 32)),
    ]),
  encrypt(key, plaintext) {
    const iv = randomBytes(16);
    return Buffer.concat([iv, aesCbc(aesKeyV2(key), iv, plaintext, true)]);
  },
  decrypt(key, ciphertext) {
    if (ciphertext.length < 32)
      throw new KeyError('protocol', 'PIN protocol 2: ciphertext shorter than IV and one block.');
    return aesCbc(aesKeyV2(key), ciphertext.subarray(0, 16), ciphertext.subarray(16), false);
  },
  // For a shared secret the HMAC key is its first half; a 32-byte token is used whole.
  authenticate: (key, message) => hmac(key.subarray(0, 32), message),
  verify: (key, message, signature) => equal(hmac(key.subarray(0, 32), message), signature),
};

/** v2 shared secrets are HMAC key ‖ AES key; a 32-byte value is not a v2 shared secret. */
function aesKeyV2(key: Buffer): Buffer {
  if (key.length !== 64) throw new KeyError('protocol', 'PIN protocol 2: shared secret must be 64 bytes.');
  return key.subarray(32, 64);
}

export function pinProtocol(version: number): PinUvProtocol | null {
  return version === 2 ? PIN_PROTOCOL_2 : version === 1 ? PIN_PROTOCOL_1 : null;
}

/** COSE_Key of a P-256 ECDH key as CTAP sends it: alg -25 (ECDH-ES+HKDF-256) "although not used". */
export function keyAgreementCose(uncompressedPoint: Buffer): Map<number, unknown> {
  if (uncompressedPoint.length !== 65 || uncompressedPoint[0] !== 0x04)
    throw new KeyError('protocol', 'PIN protocol: not an uncompressed P-256 point.');
  return new Map<number, unknown>([
    [1, 2],
    [3, -25],
    [-1, 1],
    [-2, uncompressedPoint.subarray(1, 33)],
    [-3, uncompressedPoint.subarray(33, 65)],
  ]);
}

/** The uncompressed point of a key-agreement COSE_Key; throws on anything that is not P-256. */
export function coseToPoint(value: unknown): Buffer {
  if (!(value instanceof Map) || value.get(1) !== 2 || value.get(-1) !== 1)
    throw new KeyError('protocol', 'PIN protocol: key agreement is not an EC2 P-256 COSE key.');
  const x = value.get(-2);
  const y = value.get(-3);
  if (!(x instanceof Uint8Array) || x.length !== 32 || !(y instanceof Uint8Array) || y.length !== 32)
    throw new KeyError('protocol', 'PIN protocol: key agreement x/y are not 32 bytes.');
  return Buffer.concat([Buffer.from([0x04]), x, y]);
}

/**
 * One side of the ECDH: a fresh P-256 key pair, and the shared secret with the peer's point.
 * An invalid peer point (not on the curve) throws, as CTAP requires.
 */
export function ecdhSharedSecret(
  protocol: PinUvProtocol,
  peerPoint: Buffer,
): { publicPoint: Buffer; sharedSecret: Buffer } {
  const ecdh = createECDH('prime256v1');
  const publicPoint = ecdh.generateKeys();
  let z: Buffer;
  try {
    z = ecdh.computeSecret(peerPoint);
  } catch (error) {
    throw new KeyError(
      'protocol',
      `PIN protocol: the other side's key agreement point is invalid (${(error as Error).message}).`,
    );
  }
  const sharedSecret = protocol.kdf(z);
  z.fill(0);
  return { publicPoint, sharedSecret };
}

/** LEFT(SHA-256(PIN), 16): all the key ever learns of the PIN (pinHashEnc). */
export function pinHash(pin: Buffer): Buffer {
  return createHash('sha256').update(pin).digest().subarray(0, 16);
}

/** newPinEnc's plaintext: the UTF-8 PIN padded with zeros to 64 bytes (CTAP 2.1 §6.5.5.5). */
export function paddedPin(pin: Buffer): Buffer {
  if (pin.length > 63) throw new KeyError('invalid-input', 'The PIN is longer than 63 bytes.');
  const out = Buffer.alloc(64);
  pin.copy(out);
  return out;
}
