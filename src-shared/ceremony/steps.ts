/** The two ceremony types: AWS root login (root-login runbook) and the time-limited IAM role (cleanup runbook). */
export const CEREMONY_TYPES = ['root-login', 'breakglass-role'] as const;
export type CeremonyType = (typeof CEREMONY_TYPES)[number];

export const STEP_IDS = [
  'scenario',
  'sso_probe',
  'notify',
  'sign_in',
  'role_session',
  'audit_row',
  'minimal_action',
  'sign_out',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/**
 * What a key tap can lock: every step, plus 'seal', the closing tap that signs the head of a
 * finished (signed-out or aborted) ceremony before export, so nothing in a bundle is unsigned.
 */
export const LOCK_STEPS = [...STEP_IDS, 'seal'] as const;
export type LockStep = (typeof LOCK_STEPS)[number];

export interface StepDefinition {
  id: StepId;
  title: string;
  /** A step that locks with a key tap (a checkpoint over the journal head). */
  locks_with_tap: boolean;
}

const DEFINITIONS: Record<StepId, StepDefinition> = {
  scenario: { id: 'scenario', title: 'Scenario gate', locks_with_tap: true },
  sso_probe: { id: 'sso_probe', title: 'Confirm SSO is unavailable', locks_with_tap: false },
  notify: { id: 'notify', title: 'Notify the founders before invoking', locks_with_tap: true },
  sign_in: { id: 'sign_in', title: 'Sign in to the AWS console', locks_with_tap: true },
  role_session: { id: 'role_session', title: 'Record the breakglass role session', locks_with_tap: true },
  audit_row: { id: 'audit_row', title: 'Write the agent_audit_log row', locks_with_tap: true },
  minimal_action: { id: 'minimal_action', title: 'Minimal action only', locks_with_tap: false },
  sign_out: { id: 'sign_out', title: 'Sign out', locks_with_tap: true },
};

/**
 * The order of the steps per ceremony type. The role variant has no SSO probe (the trigger is a P0,
 * not an SSO outage) and no root audit row (its row is `actor_role: break_glass_root` by definition).
 */
const ORDER: Record<CeremonyType, readonly StepId[]> = {
  'root-login': ['scenario', 'sso_probe', 'notify', 'sign_in', 'audit_row', 'minimal_action', 'sign_out'],
  'breakglass-role': ['scenario', 'notify', 'role_session', 'minimal_action', 'sign_out'],
};

export function stepsFor(type: CeremonyType): StepDefinition[] {
  return ORDER[type].map((id) => DEFINITIONS[id]);
}

export function stepDefinition(id: StepId): StepDefinition {
  return DEFINITIONS[id];
}
