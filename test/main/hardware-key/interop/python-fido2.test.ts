import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coseToPublicKey } from '../../../../src-main/webauthn/cose-key';
import { verifyAssertion } from '../../../../src-main/webauthn/verify-assertion';
import {
  createVirtualAuthenticator,
  type VirtualAuthenticatorOptions,
} from '../../../../src-main/hardware-key/virtual/virtual-authenticator';
import type { EnrolledKey } from '../../../../src-shared/journal/types';
import { hostOnSocket, pythonWithFido2 } from './report-socket';

const SCRIPT = path.join(__dirname, 'python_fido2_client.py');
const found = pythonWithFido2();
if ('missing' in found) console.warn(`python-fido2 interop skipped: ${found.missing}`);

const hosts: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

function run(python: string, args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`python-fido2 client exited ${code}: ${err}`)),
    );
    child.stdin.end(stdin);
  });
}

interface Signed {
  uv: boolean;
  up: boolean;
  auth_data: string;
  signature: string;
  cdh: string;
}
interface Ceremony {
  versions: string[];
  options: Record<string, boolean>;
  pin_uv_protocols: number[];
  pin_set_by_python?: boolean;
  results: Array<{
    protocol: number;
    token_length: number;
    attested_uv: boolean;
    credential_id: string;
    cose_public_key: string;
    with_pin: Signed;
    touch_only: Signed;
  }>;
  wrong_pin: string;
  retries_after_wrong: number;
}

async function ceremony(python: string, options: VirtualAuthenticatorOptions, pin: string): Promise<Ceremony> {
  const key = createVirtualAuthenticator({ touchDelayMs: 0, ...options });
  const host = await hostOnSocket(key);
  hosts.push(host);
  return JSON.parse(await run(python, [host.socketPath, pin])) as Ceremony;
}

/** The credential python-fido2 made, as Breakglass would have enrolled it. */
function enrolled(r: Ceremony['results'][number]): EnrolledKey {
  return {
    credential_id: Buffer.from(r.credential_id, 'hex').toString('base64url'),
    operator: 'interop',
    label: 'primary',
    rp_id: 'breakglass.local',
    cose_public_key: Buffer.from(r.cose_public_key, 'hex').toString('base64'),
    aaguid: '',
    fmt: 'packed',
    att_stmt: null,
    enrolment_authenticator_data: '',
    enrolment_client_data_hash: '',
    enrolled_at: '2026-12-05T00:00:00.000Z',
  };
}

describe.skipIf('missing' in found)('python-fido2 (Yubico) as a client of the virtual authenticator', () => {
  const python = 'python' in found ? found.python : '';

  it('PIN-protected key: credential and assertions over both PIN/UV protocols, verified by python-fido2 and by us', async () => {
    const result = await ceremony(python, { pin: { pin: '4821', alwaysUv: false } }, '4821');
    expect(result.versions).toContain('FIDO_2_1');
    expect(result.pin_uv_protocols).toEqual([2, 1]);
    expect(result.results.map((r) => [r.protocol, r.token_length])).toEqual([
      [2, 32],
      [1, 32],
    ]);
    for (const r of result.results) {
      expect(r.attested_uv).toBe(true);
      expect(r.with_pin).toMatchObject({ uv: true, up: true });
      expect(r.touch_only).toMatchObject({ uv: false, up: true });
      // python-fido2 verified both signatures; our offline verifier must agree, flag for flag.
      for (const signed of [r.with_pin, r.touch_only]) {
        const verdict = verifyAssertion(enrolled(r), {
          authenticator_data: Buffer.from(signed.auth_data, 'hex').toString('base64'),
          client_data_hash: signed.cdh,
          signature: Buffer.from(signed.signature, 'hex').toString('base64'),
        });
        expect(verdict).toMatchObject({ ok: true, userVerified: signed.uv });
      }
      expect(() => coseToPublicKey(Buffer.from(r.cose_public_key, 'hex'))).not.toThrow();
    }
    expect(result.wrong_pin).toMatch(/PIN_INVALID/);
    expect(result.retries_after_wrong).toBe(7);
  });

  it('python-fido2 sets the PIN on a fresh key (setPIN, newPinEnc) and then uses it', async () => {
    const result = await ceremony(python, {}, '735519');
    expect(result.pin_set_by_python).toBe(true);
    expect(result.results.every((r) => r.with_pin.uv && !r.touch_only.uv)).toBe(true);
  });
});
