import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ecdhSharedSecret,
  PIN_PROTOCOL_1,
  PIN_PROTOCOL_2,
  pinHash,
} from '../../../../src-main/hardware-key/ctap/pin-protocol';
import { pythonWithFido2 } from './report-socket';

const found = pythonWithFido2();
if ('missing' in found) console.warn(`PIN protocol cross-check skipped: ${found.missing}`);

describe('PIN/UV auth protocols 1 and 2 (pin-protocol.ts)', () => {
  it('both sides of the ECDH derive the same secret, and a v2 ciphertext round-trips', () => {
    for (const protocol of [PIN_PROTOCOL_1, PIN_PROTOCOL_2]) {
      const a = ecdhSharedSecret(
        protocol,
        ecdhSharedSecret(
          protocol,
          Buffer.from(
            '04' +
              '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' +
              '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
            'hex',
          ),
        ).publicPoint,
      );
      expect(a.sharedSecret).toHaveLength(protocol.version === 1 ? 32 : 64);
      const plain = Buffer.alloc(32, 7);
      expect(protocol.decrypt(a.sharedSecret, protocol.encrypt(a.sharedSecret, plain))).toEqual(plain);
      expect(protocol.verify(a.sharedSecret, plain, protocol.authenticate(a.sharedSecret, plain))).toBe(true);
      expect(protocol.verify(a.sharedSecret, Buffer.alloc(32, 8), protocol.authenticate(a.sharedSecret, plain))).toBe(
        false,
      );
    }
    expect(pinHash(Buffer.from('4821'))).toEqual(createHash('sha256').update('4821').digest().subarray(0, 16));
  });

  it.skipIf('missing' in found)("matches python-fido2's PinProtocolV1/V2 byte for byte", () => {
    const python = 'python' in found ? found.python : '';
    const z = createHash('sha256').update('shared x-coordinate').digest();
    const message = createHash('sha256').update('clientDataHash').digest();
    const v1 = PIN_PROTOCOL_1.kdf(z);
    const v2 = PIN_PROTOCOL_2.kdf(z);
    const vectors = {
      z: z.toString('hex'),
      message: message.toString('hex'),
      v1_ciphertext: PIN_PROTOCOL_1.encrypt(v1, message).toString('hex'),
      v2_ciphertext: PIN_PROTOCOL_2.encrypt(v2, message).toString('hex'),
    };
    const run = spawnSync(python, [path.join(__dirname, 'python_fido2_client.py'), '--primitives'], {
      input: JSON.stringify(vectors),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const theirs = JSON.parse(run.stdout) as Record<
      'v1' | 'v2',
      { kdf: string; authenticate: string; decrypt: string; encrypt?: string }
    >;
    expect(theirs.v1.kdf).toBe(v1.toString('hex'));
    expect(theirs.v2.kdf).toBe(v2.toString('hex'));
    expect(theirs.v1.authenticate).toBe(PIN_PROTOCOL_1.authenticate(v1, message).toString('hex'));
    expect(theirs.v2.authenticate).toBe(PIN_PROTOCOL_2.authenticate(v2, message).toString('hex'));
    expect(theirs.v1.encrypt).toBe(vectors.v1_ciphertext);
    expect(theirs.v1.decrypt).toBe(message.toString('hex'));
    expect(theirs.v2.decrypt).toBe(message.toString('hex'));
  });
});
