import type { ChecklistStatus } from '../aftercare/checklist-status';
import type { AccountConfig } from '../config/schema';
import type { Refusal } from '../result';
import type { CommandName } from './commands';
import type { AuditRow, EntryPayload } from './entry-kinds';
import type { CeremonyType, StepDefinition, StepId } from './steps';
import type { WitnessCode } from './witness-code';

export type StepStatus = 'pending' | 'open' | 'done' | 'locked' | 'blocked';

export interface StepView {
  id: StepId;
  title: string;
  locks_with_tap: boolean;
  /** pending: earlier steps first; open: the current step; done: recorded, waiting for its tap; locked: tapped; blocked: cannot proceed. */
  status: StepStatus;
  /** seq of the step_locked entry once locked. */
  locked_seq: number | null;
  /** What is missing or why the step is blocked, in plain words. */
  detail: string | null;
}

export type TimerLevel = 'ok' | 'warning' | 'critical';

export interface TimerView {
  started_at: string;
  /** Sign-out time, or null while the session runs. */
  ended_at: string | null;
  elapsed_minutes: number;
  expected_minutes: number | null;
  /** elapsed / expected (null before the expected duration is known). */
  ratio: number | null;
  /** warning at 100 % of the expected duration, critical at 150 %. */
  level: TimerLevel;
  message: string | null;
  /** Role variant: the credential Expiration and the countdown to it. */
  expires_at: string | null;
  remaining_minutes: number | null;
}

export interface FounderView {
  contact_id: string;
  name: string;
  channels: Array<'text' | 'call'>;
  phone: string | null;
  notification: {
    seq: number;
    channel: 'text' | 'call';
    notified_at: string;
    acknowledged: boolean;
    acknowledged_at: string | null;
    witness_code: string;
  } | null;
}

/**
 * A running-log line: its seq and its payload as the schema reads it. Where the payload is taken
 * as recorded this is the journal entry itself (its other fields come along), not a copy: a long
 * ceremony has 100,000 of them, and the verifier derives the state of every bundle it checks.
 */
export interface ActionView {
  seq: number;
  payload: EntryPayload<'action_logged'>;
}

/**
 * Whether a command may run now: a Result with no value, its refusal the very one the command
 * would return if tried (same code, same words), so a window says "not now" before the click.
 */
export type Allowed = { ok: true } | { ok: false; error: Refusal };

export interface CeremonyState {
  ceremony_id: string;
  type: CeremonyType;
  /** Drill ceremonies say DRILL everywhere. */
  drill: boolean;
  operator: { id: string; name: string };
  app_version: string;
  config_source: string;
  linked_ceremony_id: string | null;
  started_at: string;
  /** The time the state was derived at (the injected clock). */
  now: string;
  head: { seq: number; hash: string };
  entries: number;
  phase: 'ceremony' | 'aftercare' | 'aborted';
  /** The step the person is on; null after sign-out is locked (after-care) or after an abort. */
  current_step: StepId | null;
  steps: StepView[];
  /** Every command the service accepts, and for the refused ones why not (plain words). */
  allowed: Record<Exclude<CommandName, 'start'>, Allowed>;

  scenario: {
    seq: number;
    scenario_id: string;
    title: string;
    evidence: Record<string, string>;
    reason: string;
  } | null;
  sso_probe: {
    seq: number;
    profile: string;
    region: string;
    endpoint: string;
    attempted_at: string;
    outcome: 'sso_unavailable' | 'sso_working' | 'inconclusive';
    error_name: string | null;
    error_message: string | null;
    caller_arn: string | null;
    /** Probes made: 1, or 2 when the first was inconclusive (the state shows the latest). */
    attempts: number;
  } | null;
  founders: FounderView[];
  /** The configured accounts table (name, id, principal, where the credential lives). */
  accounts: AccountConfig[];
  account: AccountConfig | null;
  sign_in: { seq: number; signed_in_at: string; ip_address: string; user_agent: string } | null;
  role_session: {
    seq: number;
    role_arn: string;
    approver: string;
    cleanup_owner: string;
    session_started_at: string;
    expiration: string;
    source: 'sts' | 'vault';
  } | null;
  /** The configured breakglass-emergency role, if any. */
  configured_role: { role_arn: string; ttl_minutes: number } | null;
  audit_row: (AuditRow & { seq: number }) | null;
  actions: ActionView[];
  minimal_action_summary: string | null;
  sign_out: { seq: number; signed_out_at: string; duration_minutes: number; expected_return_to_normal?: string } | null;
  timer: TimerView | null;
  witness: {
    /** The code to read out now: of the latest key tap (format-1 journals: of the head). */
    current: WitnessCode;
    /** The code read to the founders at the notify step (null before the first notification). */
    notify: WitnessCode | null;
    /** The code of the head that locked the sign-out, read again to the founders. */
    final: WitnessCode | null;
  };
  /** Closing taps over the head of the finished ceremony (the export signs what came after sign-out). */
  seals: Array<{ seq: number; signs_seq: number }>;
  tap_failures: Array<{ seq: number; step: string; code: string; reason: string; at: string }>;
  notes: Array<{ seq: number; text: string; refers_to_seq: number | null; at: string }>;
  /** Things the person should see (unacknowledged founders, anti-patterns, SSO working). */
  warnings: string[];
  /** Entries that do not fit their schema or the order: shown, never silently dropped. */
  problems: string[];
  aftercare: ChecklistStatus | null;
  aborted: { seq: number; reason: string; at: string } | null;
  /**
   * The hash chain of this ceremony as read back from the journal: null before it was checked
   * (pure derivation has no journal), otherwise the verdict. A ceremony that does not verify
   * accepts nothing but notes: new entries must not be written on top of an edited history.
   */
  integrity: { ok: true } | { ok: false; seq: number; reason: string } | null;
}

export interface CeremonySummaryView {
  ceremony_id: string;
  type: CeremonyType;
  drill: boolean;
  operator: { id: string; name: string };
  started_at: string;
  phase: CeremonyState['phase'];
  current_step: StepId | null;
  entries: number;
}

/** Static information the screens need before and around a ceremony. */
export interface CeremonyCatalog {
  config_source: string;
  scenarios: Array<{
    id: string;
    ceremony_type: CeremonyType;
    title: string;
    runbook_text: string;
    fields: Array<{ key: string; label: string; hint: string }>;
  }>;
  not_authorised: string[];
  steps: Record<CeremonyType, StepDefinition[]>;
  principals: Array<{ id: string; name: string }>;
  founders: Array<{ id: string; name: string; channels: string[] }>;
  compliance_liaison: { name: string };
  accounts: AccountConfig[];
  breakglass_role: { role_arn: string; ttl_minutes: number } | null;
  /** The SSO profile the probe uses; its region prefills the "IdP region" evidence. */
  sso: { profile: string; region: string };
}
