import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

const VERSION = 0x01;
const IV = 12;
const TAG = 16;
const SCALAR = 32;
export const CREDENTIAL_ID_LENGTH = 1 + IV + SCALAR + TAG;

export interface VaultCredential {
  credentialId: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** An opened credential, kept so the next request for it skips the unwrap. */
interface OpenedCredential {
  credentialId: Buffer;
  rpIdHash: Buffer;
  key: KeyObject;
}

const MAX_CACHED = 64;

/**
 * Non-discoverable credentials the way hardware keys make them: the credential ID is the private
 * key wrapped (AES-256-GCM) under the device's master key, bound to the RP by the AAD. The device
 * keeps no per-credential state, so a drill key survives restarts with just its master key.
 */
export class CredentialVault {
  /** Searched by comparing bytes: a string key (hex of both) cost more than the lookup saved. */
  private readonly cache: OpenedCredential[] = [];

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new RangeError('master key must be 32 bytes');
  }

  create(rpIdHash: Buffer): VaultCredential {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const scalar = ecdh.getPrivateKey();
    const padded = Buffer.concat([Buffer.alloc(SCALAR - scalar.length), scalar]);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(rpIdHash);
    const sealed = Buffer.concat([cipher.update(padded), cipher.final()]);
    const credentialId = Buffer.concat([Buffer.from([VERSION]), iv, sealed, cipher.getAuthTag()]);
    const privateKey = toKeyObject(padded);
    return { credentialId, privateKey, publicKey: createPublicKey(privateKey) };
  }

  /** The private key for this credential ID and RP, or null when it is not one of ours. */
  open(credentialId: Uint8Array, rpIdHash: Buffer): KeyObject | null {
    if (credentialId.length !== CREDENTIAL_ID_LENGTH || credentialId[0] !== VERSION) return null;
    for (let i = 0; i < this.cache.length; i++) {
      const cached = this.cache[i]!;
      if (cached.credentialId.equals(credentialId) && cached.rpIdHash.equals(rpIdHash)) return cached.key;
    }
    const id = Buffer.from(credentialId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, id.subarray(1, 1 + IV));
      decipher.setAAD(rpIdHash);
      decipher.setAuthTag(id.subarray(1 + IV + SCALAR));
      const scalar = Buffer.concat([decipher.update(id.subarray(1 + IV, 1 + IV + SCALAR)), decipher.final()]);
      const key = toKeyObject(scalar);
      if (this.cache.length >= MAX_CACHED) this.cache.length = 0;
      this.cache.push({ credentialId: id, rpIdHash: Buffer.from(rpIdHash), key });
      return key;
    } catch {
      return null;
    }
  }
}

function toKeyObject(scalar: Buffer): KeyObject {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey();
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: scalar.toString('base64url'),
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
  });
}
