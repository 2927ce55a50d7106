/**
 * The `action` each journal entry kind gets in agent_audit_log. One table, so a reviewer's
 * query (`{ action: 'break_glass_notify' }`) and this code agree. Kinds added later still sync:
 * they become `break_glass_<kind>`.
 */
const ACTION_BY_KIND: Readonly<Record<string, string>> = {
  ceremony_started: 'break_glass_ceremony_started',
  scenario_selected: 'break_glass_scenario_selected',
  sso_probe: 'break_glass_sso_probe',
  founder_notified: 'break_glass_notify',
  account_selected: 'break_glass_account_selected',
  signed_in: 'break_glass_sign_in',
  audit_row_written: 'break_glass_root_login',
  action_logged: 'break_glass_action',
  minimal_action_done: 'break_glass_minimal_action_done',
  signed_out: 'break_glass_sign_out',
  step_locked: 'break_glass_step_locked',
  tap_failed: 'break_glass_tap_failed',
  role_session_started: 'break_glass_role_session_started',
  aftercare_evidence: 'break_glass_aftercare_evidence',
  aftercare_signoff: 'break_glass_aftercare_signoff',
  note: 'break_glass_note',
  ceremony_aborted: 'break_glass_aborted',
  reconciliation_attached: 'break_glass_reconciliation',
};

export function auditActionFor(kind: string): string {
  return Object.hasOwn(ACTION_BY_KIND, kind) ? ACTION_BY_KIND[kind]! : `break_glass_${kind}`;
}

/** `result` in the row: what happened, in the audit log's own vocabulary. */
export function auditResultFor(kind: string): 'success' | 'failure' | 'aborted' {
  if (kind === 'tap_failed') return 'failure';
  if (kind === 'ceremony_aborted') return 'aborted';
  return 'success';
}

/** actor_role by ceremony type: the root login keeps the runbook's role; the IAM-role variant says so. */
export function actorRoleFor(ceremonyType: string): string {
  return ceremonyType === 'breakglass-role' ? 'break_glass_role' : 'break_glass_root';
}
