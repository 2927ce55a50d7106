import { afterEach, describe, expect, it } from 'vitest';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { dispatch } from '../../../src-main/ipc/handle';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createCoreServices, type CoreServices } from '../../../src-main/services';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import type { InvokeChannel } from '../../../src-shared/ipc/channels';
import { refusalWords } from '../../../src-renderer/lib/refusal-words';
import { useTempDir } from '../../support/temp-dir';

/**
 * What the window receives when main refuses: the code and the field come as data through the
 * real IPC layer, so the form highlights the right field whatever the sentence says.
 */
describe('refusals through the IPC layer carry their code and field', () => {
  const tempDir = useTempDir();
  let core: CoreServices | null = null;
  afterEach(async () => {
    await core?.close();
    core = null;
  });

  async function atNotify() {
    core = createCoreServices({
      dataDir: tempDir(),
      drillOnly: true,
      drillTouchDelayMs: 0,
      env: {},
      events: createEventHub(),
    });
    const handlers = createHandlers(core, { openExternal: async () => undefined });
    const call = (channel: InvokeChannel, ...args: unknown[]) => dispatch(channel, args, () => true, handlers);
    const must = async (channel: InvokeChannel, ...args: unknown[]) => {
      const r = await call(channel, ...args);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value;
    };
    await must('key:enrol', { drill: true, label: 'primary' });
    const { ceremony_id: id } = (await must('ceremony:start', { type: 'root-login', drill: true })) as CeremonyState;
    const now = core.clock().getTime();
    await must('ceremony:selectScenario', id, {
      scenario_id: 'sso-down',
      evidence: {
        idp: 'aws-identity-center',
        region: 'us-east-1',
        error_text: 'DRILL: the SSO portal answers 503',
        last_good_sso_login_at: new Date(now - 3600_000).toISOString(),
        incident_ref: 'INC-DRILL-7',
      },
      reason: 'DRILL: failover needs AWS API access now',
    });
    await must('ceremony:lockStep', id, { step: 'scenario' });
    await must('ceremony:probeSso', id, {});
    return { id, call, now, journal: core.journal };
  }

  it('a rule names the field it refused, though its sentence names another field too', async () => {
    const { id, call, now, journal } = await atNotify();
    const before = journal.entries(id).length;
    const late = new Date(now - 60_000).toISOString();
    // "acknowledged at: given, but acknowledged is false": the sentence names both fields.
    const r = await call('ceremony:notifyFounder', id, {
      contact_id: 'asad',
      channel: 'call',
      acknowledged: false,
      acknowledged_at: late,
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'acknowledged_at',
        fields: { acknowledged_at: 'given, but acknowledged is false' },
      },
    });
    if (r.ok) return;
    const words = refusalWords(r.error, { acknowledged: 'Acknowledged', acknowledged_at: 'When they acknowledged' });
    expect(words).toMatchObject({
      field: 'acknowledged_at',
      sentence: 'When they acknowledged: given, but acknowledged is false.',
    });
    // A time in the future: the time field, by its argument path.
    const future = await call('ceremony:notifyFounder', id, {
      contact_id: 'asad',
      channel: 'call',
      acknowledged: false,
      notified_at: new Date(now + 3600_000).toISOString(),
    });
    expect(future).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'notified_at', message: 'notified at: this time is in the future' },
    });
    expect(journal.entries(id)).toHaveLength(before);
  });

  it('the IPC gate names the field inside the argument; an unknown ceremony is not-found with no field', async () => {
    const { id, call } = await atNotify();
    const bad = await call('ceremony:notifyFounder', id, { contact_id: 'asad', channel: 'pigeon', acknowledged: true });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', field: 'channel', fields: { channel: 'expected "text" or "call"' } },
    });
    const missing = await call('ceremony:get', 'bg-20260101-00000000');
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(missing.ok ? 'accepted' : missing.error.field).toBeUndefined();
  });
});
