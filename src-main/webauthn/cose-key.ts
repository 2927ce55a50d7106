import { createPublicKey, type KeyObject } from 'node:crypto';
import { encodeCanonical } from './canonical-cbor';
import { asMap, decodeCanonical } from './canonical-cbor-decode';
import { KeyError } from './key-error';

/** COSE labels for an EC2 key (RFC 9052/9053), brief §4.6. */
const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const KTY_EC2 = 2;
const ALG_ES256 = -7;
const CRV_P256 = 1;

function invalid(reason: string): KeyError {
  return new KeyError('invalid-input', `Not an ES256 P-256 COSE public key: ${reason}`);
}

/**
 * Turns a COSE_Key (CBOR bytes, a base64 string of them, or an already decoded Map) into a Node
 * public key. Only ES256 on P-256 is accepted: it is the only algorithm we ever ask keys for.
 */
export function coseToPublicKey(cose: Uint8Array | string | Map<unknown, unknown>): KeyObject {
  let map: Map<unknown, unknown>;
  if (cose instanceof Map) {
    map = cose;
  } else {
    const bytes = typeof cose === 'string' ? Buffer.from(cose, 'base64') : cose;
    try {
      map = asMap(decodeCanonical(bytes), 'COSE key');
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  if (map.get(KTY) !== KTY_EC2) throw invalid('kty is not EC2');
  if (map.get(ALG) !== ALG_ES256) throw invalid('alg is not ES256 (-7)');
  if (map.get(CRV) !== CRV_P256) throw invalid('curve is not P-256');
  const x = map.get(X);
  const y = map.get(Y);
  if (!(x instanceof Uint8Array) || x.length !== 32 || !(y instanceof Uint8Array) || y.length !== 32)
    throw invalid('x/y are not 32-byte strings');
  try {
    return createPublicKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: Buffer.from(x).toString('base64url'),
        y: Buffer.from(y).toString('base64url'),
      },
    });
  } catch (error) {
    throw invalid(`the point is not on the curve (${(error as Error).message})`);
  }
}

/** The COSE_Key bytes of a P-256 public key (used by the virtual key and the U2F path). */
export function publicKeyToCose(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw invalid('not a P-256 key');
  return encodeCanonical(
    new Map<number, unknown>([
      [KTY, KTY_EC2],
      [ALG, ALG_ES256],
      [CRV, CRV_P256],
      [X, Buffer.from(jwk.x, 'base64url')],
      [Y, Buffer.from(jwk.y, 'base64url')],
    ]),
  );
}

/** A raw uncompressed point (0x04‖X‖Y, as U2F sends it) as COSE_Key bytes. */
export function rawP256ToCose(point: Uint8Array): Buffer {
  if (point.length !== 65 || point[0] !== 0x04)
    throw new KeyError('protocol', 'The key sent a public key that is not an uncompressed P-256 point.');
  const x = Buffer.from(point.subarray(1, 33));
  const y = Buffer.from(point.subarray(33, 65));
  const cose = encodeCanonical(
    new Map<number, unknown>([
      [KTY, KTY_EC2],
      [ALG, ALG_ES256],
      [CRV, CRV_P256],
      [X, x],
      [Y, y],
    ]),
  );
  coseToPublicKey(cose); // rejects points that are not on the curve
  return cose;
}

/** 0x04‖X‖Y of a COSE key, the form U2F registration signatures cover. */
export function coseToRawP256(cose: Uint8Array): Buffer {
  const jwk = coseToPublicKey(cose).export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}
