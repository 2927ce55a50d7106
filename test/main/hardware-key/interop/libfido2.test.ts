import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createVirtualAuthenticator,
  type VirtualAuthenticatorOptions,
} from '../../../../src-main/hardware-key/virtual/virtual-authenticator';
import { hostOnSocket } from './report-socket';

/** Builds the harness against the installed libfido2, or says why it cannot. */
function buildHarness(): { binary: string } | { missing: string } {
  if (!existsSync('/usr/include/fido.h'))
    return {
      missing: 'libfido2 headers are not installed (Debian: apt-get install libfido2-dev; .ci/run installs it)',
    };
  const binary = path.join(mkdtempSync(path.join(tmpdir(), 'bg-libfido2-')), 'libfido2_client');
  const cc = spawnSync('cc', ['-o', binary, path.join(__dirname, 'libfido2_client.c'), '-lfido2'], {
    encoding: 'utf8',
  });
  if (cc.error) return { missing: `no C compiler to build the libfido2 harness (${cc.error.message})` };
  if (cc.status !== 0) throw new Error(`the libfido2 harness does not compile: ${cc.stderr}`);
  return { binary };
}

const built = buildHarness();
if ('missing' in built) console.warn(`libfido2 interop skipped: ${built.missing}`);

const hosts: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

async function run(options: VirtualAuthenticatorOptions, pin: string): Promise<Record<string, string>> {
  const key = createVirtualAuthenticator({ touchDelayMs: 0, ...options });
  const host = await hostOnSocket(key);
  hosts.push(host);
  const binary = 'binary' in built ? built.binary : '';
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(binary, [host.socketPath, pin]);
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`libfido2 client exited ${code}: ${text}`)),
    );
  });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]),
  );
}

describe.skipIf('missing' in built)('libfido2 (Yubico) as a client of the virtual authenticator', () => {
  for (const protocols of [[2, 1], [1]]) {
    it(`makes a credential with the PIN (libfido2 picks protocol ${protocols[0]}), asserts with and without it, verifies both`, async () => {
      const r = await run({ pin: { pin: '4821', alwaysUv: false, protocols } }, '4821');
      expect(r).toMatchObject({
        fido2: '1',
        make_cred: 'FIDO_ERR_SUCCESS',
        cred_verify: 'FIDO_ERR_SUCCESS',
        cred_fmt: 'packed',
        with_pin_get: 'FIDO_ERR_SUCCESS',
        with_pin_verify: 'FIDO_ERR_SUCCESS',
        touch_only_get: 'FIDO_ERR_SUCCESS',
        touch_only_verify: 'FIDO_ERR_SUCCESS',
        wrong_pin_get: 'FIDO_ERR_PIN_INVALID',
        retries: '7',
      });
      // fido_strerr(FIDO_OK) is "FIDO_ERR_SUCCESS". UP 0x01, UV 0x04 (AT 0x40 on the credential).
      expect(Number(r.cred_flags) & 0x45).toBe(0x45);
      expect(Number(r.with_pin_flags) & 0x05).toBe(0x05);
      expect(Number(r.touch_only_flags) & 0x05).toBe(0x01);
    });
  }
});
