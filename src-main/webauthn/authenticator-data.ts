import { copyBytes } from './bytes';
import { cborItemEnd } from './canonical-cbor-decode';
import { KeyError } from './key-error';

export const Flag = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

export interface AttestedCredential {
  aaguid: Buffer;
  credentialId: Buffer;
  /** The COSE_Key bytes exactly as the key sent them. */
  cosePublicKey: Buffer;
}

export interface AuthenticatorData {
  rpIdHash: Buffer;
  flags: number;
  userPresent: boolean;
  userVerified: boolean;
  signCount: number;
  attested?: AttestedCredential;
}

function bad(reason: string): KeyError {
  return new KeyError('protocol', `Malformed authenticatorData: ${reason}`);
}

/**
 * Parses authenticatorData (brief §4.6). The COSE key's end is found by walking its CBOR, not by
 * assuming it runs to the end, because extension data may follow it.
 */
export function parseAuthenticatorData(bytes: Uint8Array): AuthenticatorData {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 37) throw bad(`${data.length} bytes, at least 37 expected`);
  const flags = data[32]!;
  const result: AuthenticatorData = {
    rpIdHash: Buffer.from(data.subarray(0, 32)),
    flags,
    userPresent: (flags & Flag.UP) !== 0,
    userVerified: (flags & Flag.UV) !== 0,
    signCount: data.readUInt32BE(33),
  };
  let pos = 37;
  if (flags & Flag.AT) {
    if (data.length < pos + 18) throw bad('attested credential data is truncated');
    const aaguid = Buffer.from(data.subarray(pos, pos + 16));
    const idLength = data.readUInt16BE(pos + 16);
    pos += 18;
    if (idLength === 0 || data.length < pos + idLength) throw bad('credential ID is empty or truncated');
    const credentialId = Buffer.from(data.subarray(pos, pos + idLength));
    pos += idLength;
    let end: number;
    try {
      end = cborItemEnd(data, pos);
    } catch (error) {
      throw bad(`credential public key: ${(error as Error).message}`);
    }
    result.attested = { aaguid, credentialId, cosePublicKey: Buffer.from(data.subarray(pos, end)) };
    pos = end;
  }
  if (flags & Flag.ED) {
    if (pos >= data.length) throw bad('ED flag set but no extension data');
    try {
      pos = cborItemEnd(data, pos);
    } catch (error) {
      throw bad(`extensions: ${(error as Error).message}`);
    }
  }
  if (pos !== data.length) throw bad(`${data.length - pos} unexpected trailing bytes`);
  return result;
}

/** authenticatorData for an assertion: rpIdHash ‖ flags ‖ signCount (no attested data). */
export function buildAssertionAuthData(rpIdHash: Uint8Array, flags: number, signCount: number): Buffer {
  // From Node's buffer pool: Buffer.alloc below 64 bytes gives each buffer an ArrayBuffer of its own.
  const out = Buffer.allocUnsafe(37).fill(0);
  copyBytes(rpIdHash, 0, Math.min(rpIdHash.length, 37), out, 0);
  out[32] = flags;
  out.writeUInt32BE(signCount >>> 0, 33);
  return out;
}

/** authenticatorData with attested credential data (what makeCredential returns). */
export function buildAttestedAuthData(
  rpIdHash: Uint8Array,
  flags: number,
  signCount: number,
  attested: AttestedCredential,
): Buffer {
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(attested.credentialId.length, 0);
  return Buffer.concat([
    buildAssertionAuthData(rpIdHash, flags | Flag.AT, signCount),
    attested.aaguid,
    idLength,
    attested.credentialId,
    attested.cosePublicKey,
  ]);
}
