// A drill root-login ceremony driven through the core (the real IPC handlers, as the window calls
// them: record, then lock with the tap) up to a named step, so a window test can start at the step
// after it. The same evidence the keyboard walkthrough types; 10 expected minutes for the session.
import type { Handlers } from '../../../src-main/ipc/handle';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { ceremonyDriver } from '../../support/drive-ceremony';

const STAGES = [
  'started',
  'scenario',
  'sso',
  'notified',
  'signed-in',
  'audit-row',
  'minimal-action',
  'signed-out',
] as const;
export type RootStage = (typeof STAGES)[number];

export async function driveRootDrill(handlers: Handlers, until: RootStage, clock: () => Date): Promise<string> {
  const { call, enrolDrillKey } = ceremonyDriver(handlers);
  const reached = (stage: RootStage) => STAGES.indexOf(stage) <= STAGES.indexOf(until);
  const lock = (id: string, step: string) => call('ceremony:lockStep', id, { step });
  await enrolDrillKey();
  const { ceremony_id: id } = await call<CeremonyState>('ceremony:start', { type: 'root-login', drill: true });
  if (reached('scenario')) {
    await call('ceremony:selectScenario', id, {
      scenario_id: 'sso-down',
      evidence: {
        idp: 'aws-identity-center',
        region: 'us-east-1',
        error_text: 'DRILL: IAM Identity Center portal returns HTTP 503 for every user',
        last_good_sso_login_at: new Date(clock().getTime() - 3 * 3600_000).toISOString(),
        incident_ref: 'INC-DRILL-001',
      },
      reason: 'DRILL: production database failover needs AWS API access now',
    });
    await lock(id, 'scenario');
  }
  if (reached('sso')) await call('ceremony:probeSso', id, {});
  if (reached('notified')) {
    await call('ceremony:notifyFounder', id, { contact_id: 'asad', channel: 'call', acknowledged: true });
    await call('ceremony:notifyFounder', id, { contact_id: 'ian', channel: 'call', acknowledged: true });
    await lock(id, 'notify');
  }
  if (reached('signed-in')) {
    await call('ceremony:selectAccount', id, { account_name: 'Production' });
    await call('ceremony:recordSignIn', id, { ip_address: '203.0.113.7' });
    await lock(id, 'sign_in');
  }
  if (reached('audit-row')) {
    await call('ceremony:writeAuditRow', id, { incident_channel: 'NA', expected_session_duration_minutes: 10 });
    await lock(id, 'audit_row');
  }
  if (reached('minimal-action')) {
    await call('ceremony:logAction', id, { text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc' });
    await call('ceremony:finishMinimalAction', id, { summary: 'DRILL: terminated the runaway instance i-0abc' });
  }
  if (reached('signed-out')) {
    await call('ceremony:recordSignOut', id, { expected_return_to_normal: 'DRILL: SSO expected back by 14:00 UTC' });
    await lock(id, 'sign_out');
  }
  return id;
}
