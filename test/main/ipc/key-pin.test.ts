import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createCoreServices } from '../../../src-main/services';
import type { KeyPinEvent } from '../../../src-shared/ipc/contract';
import { useTempDir } from '../../support/temp-dir';

const EXAMPLE = path.resolve(__dirname, '../../../assets/example-config.yaml');

describe('the PIN crosses IPC once, from the prompt to the key (real side, keys.require_user_verification)', () => {
  const tempDir = useTempDir();

  it('key:pin asks with the tries left, key:providePin answers, and the enrolment is PIN-verified', async () => {
    const dataDir = tempDir();
    const configPath = path.join(dataDir, 'config.yaml');
    writeFileSync(
      configPath,
      readFileSync(EXAMPLE, 'utf8').replace(
        '  rp_id: breakglass.local\n',
        '  rp_id: breakglass.local\n  require_user_verification: true\n',
      ),
    );
    // A PIN-protected key posing as hardware; it does not itself insist on UV: the setting does.
    const key = createVirtualAuthenticator({ touchDelayMs: 0, pin: { pin: '4821' } });
    const events = createEventHub();
    const pins: KeyPinEvent[] = [];
    const core = createCoreServices({
      dataDir,
      configPath,
      drillOnly: false,
      events,
      realDiscovery: () => virtualDiscovery(key),
    });
    const handlers = createHandlers(core, { openExternal: async () => undefined });
    const answers = ['1234', '4821'];
    events.connect((event, payload) => {
      if (event !== 'key:pin') return;
      pins.push(payload as KeyPinEvent);
      if ((payload as KeyPinEvent).type === 'pin-needed')
        queueMicrotask(() => void handlers['key:providePin']({ drill: false, pin: answers.shift()! }));
    });
    try {
      expect(core.config?.config.keys.require_user_verification).toBe(true);
      expect(await handlers['key:enrol']({ drill: false, label: 'primary' })).toMatchObject({ ok: true });
      expect(pins.map((p) => (p.type === 'pin-needed' ? [p.type, p.retries] : [p.type]))).toEqual([
        ['pin-needed', 8],
        ['pin-done'],
        ['pin-needed', 7],
        ['pin-done'],
      ]);
      const second = pins[2] as Extract<KeyPinEvent, { type: 'pin-needed' }>;
      expect(second.message).toMatch(/The PIN is wrong/);
      // No PIN pending any more: a stray answer is refused, not kept for later.
      expect(await handlers['key:providePin']({ drill: false, pin: '4821' })).toEqual({
        ok: true,
        value: { accepted: false },
      });
      expect(JSON.stringify(pins)).not.toContain('4821');
    } finally {
      await core.close();
    }
  });
});
