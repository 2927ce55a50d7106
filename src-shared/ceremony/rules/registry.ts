import * as z from 'zod';
import { CEREMONY_TYPES } from '../steps';
import { abortCeremony } from './abort';
import { addNote } from './add-note';
import { recordAftercareEvidence } from './aftercare-evidence';
import { signOffAftercare } from './aftercare-signoff';
import { finishMinimalAction } from './finish-minimal-action';
import { lockStep } from './lock-step';
import { logAction } from './log-action';
import { notifyFounder } from './notify-founder';
import { probeSso } from './probe-sso';
import { recordRoleSession } from './record-role-session';
import { recordSignIn } from './record-sign-in';
import { recordSignOut } from './record-sign-out';
import { selectAccount } from './select-account';
import { selectScenario } from './select-scenario';
import { writeAuditRow } from './write-audit-row';

/** `start` creates a ceremony rather than acting on one: it has arguments but no rule. */
export const START_ARGS = z.strictObject({
  type: z.enum(CEREMONY_TYPES),
  drill: z.boolean(),
  operator_id: z.string().min(1).optional(),
  linked_ceremony_id: z.string().min(1).optional(),
});

/**
 * Every command on an existing ceremony, by its name on the wire (IPC channel, CLI). The one
 * list of commands: the argument schemas, `state.allowed` and decide() are all read from here.
 */
export const COMMAND_RULES = {
  select_scenario: selectScenario,
  probe_sso: probeSso,
  notify_founder: notifyFounder,
  select_account: selectAccount,
  record_sign_in: recordSignIn,
  write_audit_row: writeAuditRow,
  record_role_session: recordRoleSession,
  log_action: logAction,
  finish_minimal_action: finishMinimalAction,
  record_sign_out: recordSignOut,
  lock_step: lockStep,
  add_note: addNote,
  abort: abortCeremony,
  record_aftercare_evidence: recordAftercareEvidence,
  sign_off_aftercare: signOffAftercare,
} as const;

export type RuleName = keyof typeof COMMAND_RULES;
