import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import type { InvokeChannel } from '../../src-shared/ipc/channels';
import { dispatch, type Handlers } from '../../src-main/ipc/handle';

/**
 * Drives drill ceremonies through the real IPC layer (dispatch + handlers), as the window
 * would, for tests and benches that need a journal with ceremonies in it. The app must run
 * with the virtual key pressing itself (drillTouchDelayMs set).
 */
export function ceremonyDriver(handlers: Handlers) {
  async function call<T>(channel: InvokeChannel, ...args: unknown[]): Promise<T> {
    const result = await dispatch(channel, args, () => true, handlers);
    if (!result.ok) throw new Error(`${channel} refused: ${result.error.code}: ${result.error.message}`);
    return result.value as T;
  }
  const lock = (id: string, step: string) => call<CeremonyState>('ceremony:lockStep', id, { step });

  /** The drill key, once per data directory. */
  const enrolDrillKey = () => call('key:enrol', { drill: true, label: 'primary' });

  /** A root-login drill up to the notify lock (scenario locked, SSO tried, both founders told). */
  async function throughNotify(now: Date): Promise<string> {
    const { ceremony_id: id } = await call<CeremonyState>('ceremony:start', { type: 'root-login', drill: true });
    await call('ceremony:selectScenario', id, {
      scenario_id: 'sso-down',
      evidence: {
        idp: 'aws-identity-center',
        region: 'us-east-1',
        error_text: 'DRILL: the SSO portal answers 503 for everyone',
        last_good_sso_login_at: new Date(now.getTime() - 3600_000).toISOString(),
        incident_ref: 'INC-DRILL-002',
      },
      reason: 'DRILL: failover needs AWS API access now',
    });
    await lock(id, 'scenario');
    await call('ceremony:probeSso', id, {});
    await call('ceremony:notifyFounder', id, { contact_id: 'asad', channel: 'call', acknowledged: true });
    await call('ceremony:notifyFounder', id, { contact_id: 'ian', channel: 'call', acknowledged: true });
    await lock(id, 'notify');
    return id;
  }

  /** A drill stopped after notify, as a drill that went no further leaves the journal. */
  async function abortedAfterNotify(now: Date): Promise<string> {
    const id = await throughNotify(now);
    await call('ceremony:abort', id, { reason: 'DRILL: practice of the first three steps only' });
    return id;
  }

  /** A drill in its minimal-action step: signed in, audit row written and locked. */
  async function inMinimalAction(now: Date): Promise<string> {
    const id = await throughNotify(now);
    await call('ceremony:selectAccount', id, { account_name: 'Production' });
    await call('ceremony:recordSignIn', id, { ip_address: '198.51.100.4' });
    await lock(id, 'sign_in');
    await call('ceremony:writeAuditRow', id, { incident_channel: 'NA', expected_session_duration_minutes: 30 });
    await lock(id, 'audit_row');
    return id;
  }

  return { call, enrolDrillKey, throughNotify, abortedAfterNotify, inMinimalAction };
}
