import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import { DRILL_STATE_FORMAT } from '../../../src-main/hardware-key/virtual/drill-state';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { useTempDir } from '../../support/temp-dir';
import { challenge, RP_ID } from './helpers';

describe('virtual key drill state', () => {
  const tempDir = useTempDir();

  it('without a path the keys live only in memory: a new device cannot use an old credential', async () => {
    const first = createVirtualAuthenticator({ touchDelayMs: 0 });
    const service = createKeyService({ discover: virtualDiscovery(first), rpId: RP_ID });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    service.close();
    const second = createVirtualAuthenticator({ touchDelayMs: 0 });
    const other = createKeyService({ discover: virtualDiscovery(second), rpId: RP_ID });
    await expect(other.tap({ clientDataHash: challenge(1), allow: [key] })).rejects.toMatchObject({
      code: 'wrong-key',
    });
    other.close();
  });

  it('with a path the drill key survives a restart, counter included; the file says what it is', async () => {
    const file = path.join(tempDir(), 'drill-key.json');
    const device = createVirtualAuthenticator({ touchDelayMs: 0, statePath: file });
    const service = createKeyService({ discover: virtualDiscovery(device), rpId: RP_ID });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const before = await service.tap({ clientDataHash: challenge(1), allow: [key] });
    service.close();
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: DRILL_STATE_FORMAT, version: 1 });
    expect(text).toMatch(/DRILL KEY - NOT HARDWARE/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);

    const restarted = createVirtualAuthenticator({ touchDelayMs: 0, statePath: file });
    const again = createKeyService({ discover: virtualDiscovery(restarted), rpId: RP_ID });
    const after = await again.tap({ clientDataHash: challenge(2), allow: [key] });
    again.close();
    expect(after.sign_count).toBeGreaterThan(before.sign_count);
    expect(verifyAssertion(key, { ...after, client_data_hash: challenge(2).toString('hex') }).ok).toBe(true);
  });

  it('an unreadable state file is refused and left untouched', () => {
    const file = path.join(tempDir(), 'drill-key.json');
    writeFileSync(file, '{"format":"something else"}');
    let error: unknown;
    try {
      createVirtualAuthenticator({ statePath: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).message).toMatch(/left untouched/);
    expect(readFileSync(file, 'utf8')).toBe('{"format":"something else"}');
  });
});
