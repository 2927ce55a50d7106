import { resolveOperator } from '../../src-shared/config/resolve-operator';
import type { JsonObject } from '../../src-shared/canonical-json';
import { decide, parseCommand } from '../../src-shared/ceremony/check-command';
import type { CeremonyCommand, CommandArgs, CommandName } from '../../src-shared/ceremony/commands';
import { refusalOf, refused, type Result } from '../../src-shared/result';
import { deriveCeremonyState } from '../../src-shared/ceremony/derive-state';
import { parseEntryPayload } from '../../src-shared/ceremony/entry-kinds';
import { NOT_AUTHORISED, SCENARIOS } from '../../src-shared/ceremony/scenarios';
import type { CeremonyCatalog, CeremonySummaryView, CeremonyState } from '../../src-shared/ceremony/state-types';
import { CEREMONY_TYPES, stepsFor, type CeremonyType, type StepDefinition } from '../../src-shared/ceremony/steps';
import type { BreakglassConfig } from '../../src-shared/config/schema';
import type { EnrolledKey, JournalEntry } from '../../src-shared/journal/types';
import type { SsoProbe } from '../aws/sso-probe';
import type { Journal } from '../journal/journal';
import { newCeremonyId } from './ceremony-id';
import type { StepSigner } from './step-signer';
import { tapAndLock } from './tap-and-lock';

export interface CeremonyServiceDeps {
  journal: Journal;
  config: BreakglassConfig;
  /** Shown in the app and recorded in ceremony_started, e.g. "configuration file /x/config.yaml". */
  configSource: string;
  signer: StepSigner;
  enrolledKeys: (operatorId: string) => EnrolledKey[];
  ssoProbe: SsoProbe;
  clock?: () => Date;
  appVersion: string;
  newId?: (now: Date) => string;
}

const fail = refused;
/** Refusals about the ceremony a renewal links to name that argument. */
const LINKED = { field: 'linked_ceremony_id' };

/**
 * The ceremony service: every method is a journal read, a pure decision (src-shared/ceremony)
 * and at most one append. No state lives here except the in-flight tap, so the process can die
 * between any two calls and a new one continues from the journal.
 */
export function createCeremonyService(deps: CeremonyServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? newCeremonyId;
  let inFlightTap: { ceremonyId: string; controller: AbortController } | null = null;
  const probing = new Set<string>();

  /**
   * The ceremony as read back, from one read of its rows. With `verify` (every command and every
   * screen) the chain is checked on those same rows: a ceremony that does not verify keeps only
   * its notes, so nothing is written on top of an edited history. Listing skips the check
   * (integrity null): it shows no integrity, and the journal view verifies on its own.
   */
  function state(ceremonyId: string, options: { verify: boolean } = { verify: true }): Result<CeremonyState> {
    const stored = deps.journal.storedEntries(ceremonyId);
    if (stored.length === 0) return fail('not-found', `no ceremony "${ceremonyId}" in this journal`);
    let entries: JournalEntry[];
    try {
      entries = stored.map((e) => ({ ...e, payload: JSON.parse(e.payload) as JsonObject }));
    } catch (error) {
      // A payload that is not JSON any more: the file was edited outside Breakglass.
      return fail(
        'journal-tampered',
        `The journal of ${ceremonyId} cannot be read (${(error as Error).message}): it was changed outside Breakglass. See the journal view.`,
      );
    }
    const derived = deriveCeremonyState(entries, deps.config, clock());
    if (!derived.ok) return fail('not-found', `"${ceremonyId}" is not a ceremony: ${derived.error.message}`);
    const value = derived.value;
    if (!options.verify) return { ok: true, value };
    const verdict = deps.journal.verifyRead(ceremonyId, stored);
    if (verdict.ok) return { ok: true, value: { ...value, integrity: { ok: true } } };
    const blocked = { ok: false as const, error: refusalOf('journal-tampered', tamperedReason(ceremonyId, verdict)) };
    const allowed = Object.fromEntries(
      Object.entries(value.allowed).map(([name, a]) => [name, name === 'add_note' ? a : blocked]),
    ) as CeremonyState['allowed'];
    return {
      ok: true,
      value: { ...value, allowed, integrity: { ok: false, seq: verdict.seq, reason: verdict.reason } },
    };
  }

  /** The refusal for any command but a note on a ceremony whose chain does not verify. */
  function refuseIfTampered(current: CeremonyState, name: string): Result<CeremonyState> | null {
    if (!current.integrity || current.integrity.ok || name === 'add_note') return null;
    return fail('journal-tampered', tamperedReason(current.ceremony_id, current.integrity));
  }

  /** Parse, decide, append: the path of every command without I/O. */
  async function command(ceremonyId: string, name: string, args: unknown): Promise<Result<CeremonyState>> {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) return parsed;
    const cmd = parsed.value;
    if (cmd.name === 'start') return start(cmd.args);
    if (cmd.name === 'probe_sso') return probeSso(ceremonyId);
    if (cmd.name === 'lock_step') return lockStep(ceremonyId, cmd.args);
    const current = state(ceremonyId);
    if (!current.ok) return current;
    const tampered = refuseIfTampered(current.value, cmd.name);
    if (tampered) return tampered;
    const decision = decide(current.value, cmd);
    if (!decision.ok) return decision;
    for (const e of decision.value) deps.journal.append(ceremonyId, e.kind, e.payload);
    return state(ceremonyId);
  }

  /** An unfinished ceremony (still in its steps) that renews `ceremonyId`, if any. */
  function openRenewalOf(ceremonyId: string): string | undefined {
    for (const c of deps.journal.ceremonies()) {
      if (c.kind_of_first !== 'ceremony_started' || c.ceremony_id === ceremonyId) continue;
      const s = state(c.ceremony_id, { verify: false });
      if (s.ok && s.value.linked_ceremony_id === ceremonyId && s.value.phase === 'ceremony') return c.ceremony_id;
    }
    return undefined;
  }

  /**
   * A breakglass-role ceremony whose credentials are live: its role session is recorded, not
   * signed out, not aborted, and not yet past its expiration (so nothing can block a new incident
   * for longer than the credentials themselves live).
   */
  function liveRoleSession(drill: boolean): { ceremony_id: string; expiration: string } | undefined {
    const now = clock().getTime();
    for (const c of deps.journal.ceremonies()) {
      const s = state(c.ceremony_id, { verify: false });
      if (!s.ok || s.value.type !== 'breakglass-role' || s.value.drill !== drill || s.value.phase !== 'ceremony')
        continue;
      const session = s.value.role_session;
      if (session && !s.value.sign_out && Date.parse(session.expiration) > now)
        return { ceremony_id: c.ceremony_id, expiration: session.expiration };
    }
    return undefined;
  }

  async function start(raw: unknown): Promise<Result<CeremonyState>> {
    const parsed = parseCommand('start', raw);
    if (!parsed.ok) return parsed;
    const args = (parsed.value as Extract<CeremonyCommand, { name: 'start' }>).args;
    const choice = resolveOperator(deps.config.principals, args.operator_id);
    if (!choice.ok) return fail(choice.error.code, choice.error.message, { field: 'operator_id' });
    const operator = choice.value;
    if (args.linked_ceremony_id) {
      if (args.type !== 'breakglass-role')
        return fail(
          'invalid-input',
          'only a breakglass-role ceremony can be linked (a renewal of a role session)',
          LINKED,
        );
      const linked = state(args.linked_ceremony_id);
      if (!linked.ok) return fail('not-found', `linked ceremony: ${linked.error.message}`, LINKED);
      const roleLocked = linked.value.steps.find((s) => s.id === 'role_session')?.status === 'locked';
      if (linked.value.type !== 'breakglass-role' || !linked.value.role_session || !roleLocked) {
        return fail(
          'invalid-input',
          'linked ceremony: a renewal links to a breakglass-role ceremony that recorded its role session and locked it with a tap',
          LINKED,
        );
      }
      if (linked.value.drill !== args.drill)
        return fail(
          'invalid-input',
          'linked ceremony: a drill renews only a drill, a real ceremony only a real one',
          LINKED,
        );
      // One renewal at a time: a second one while the first is still open is a second TTL
      // taken "just in case", the runbook's named anti-pattern.
      const open = openRenewalOf(args.linked_ceremony_id);
      if (open)
        return fail(
          'invalid-input',
          `linked ceremony: ${open} already renews ${args.linked_ceremony_id} and is still open; finish or abort it first`,
          LINKED,
        );
    }
    if (args.type === 'breakglass-role') {
      // A second role session while one is live is a renewal, whatever it is called: the cleanup
      // runbook treats it as a separate incident with its own justification, so it goes through
      // the linked path to THAT session, not around it (unlinked, or linked to an older one).
      const live = liveRoleSession(args.drill);
      if (live && args.linked_ceremony_id !== live.ceremony_id) {
        return fail(
          'invalid-input',
          `${live.ceremony_id} has a live role session (until ${live.expiration}): another one now is a renewal of it. Start it from that ceremony (linked, with its justification), ` +
            'or record its sign-out first (or wait until its credentials expire).',
        );
      }
    }
    if (args.type === 'breakglass-role' && !deps.config.breakglass_role) {
      return fail('invalid-input', 'the configuration has no breakglass_role (role_arn, ttl_minutes)');
    }
    const now = clock();
    const id = newId(now);
    const payload: JsonObject = {
      type: args.type,
      drill: args.drill,
      operator: { id: operator.id, name: operator.name },
      app_version: deps.appVersion,
      config_source: deps.configSource,
      ...(args.linked_ceremony_id ? { linked_ceremony_id: args.linked_ceremony_id } : {}),
    };
    const checked = parseEntryPayload('ceremony_started', payload);
    if (!checked.ok) return fail('invalid-input', checked.message);
    deps.journal.append(id, 'ceremony_started', payload);
    return state(id);
  }

  async function probeSso(ceremonyId: string): Promise<Result<CeremonyState>> {
    const before = state(ceremonyId);
    if (!before.ok) return before;
    const tampered = refuseIfTampered(before.value, 'probe_sso');
    if (tampered) return tampered;
    const d = decide(before.value, { name: 'probe_sso', args: {} });
    if (!d.ok) return d;
    // "Try once" also across a double click: the second caller is refused while the first runs.
    if (probing.has(ceremonyId)) return fail('one-try', 'the SSO probe is already running');
    probing.add(ceremonyId);
    try {
      const outcome = await deps.ssoProbe({ profile: deps.config.sso.profile, region: deps.config.sso.region });
      const payload = JSON.parse(JSON.stringify(outcome)) as JsonObject;
      const checked = parseEntryPayload('sso_probe', payload);
      if (!checked.ok) return fail('invalid-input', `the SSO probe returned an unusable result: ${checked.message}`);
      deps.journal.append(ceremonyId, 'sso_probe', payload);
    } finally {
      probing.delete(ceremonyId);
    }
    return state(ceremonyId);
  }

  async function lockStep(ceremonyId: string, raw: unknown): Promise<Result<CeremonyState>> {
    const parsed = parseCommand('lock_step', raw);
    if (!parsed.ok) return parsed;
    const { step } = (parsed.value as Extract<CeremonyCommand, { name: 'lock_step' }>).args;
    const before = state(ceremonyId);
    if (!before.ok) return before;
    const tampered = refuseIfTampered(before.value, 'lock_step');
    if (tampered) return tampered;
    const d = decide(before.value, { name: 'lock_step', args: { step } });
    if (!d.ok) return d;
    if (inFlightTap) return fail('busy', 'a key tap is already waiting; finish or cancel it first');
    const allow = deps.enrolledKeys(before.value.operator.id);
    if (allow.length === 0)
      return fail('not-found', `no key is enrolled for ${before.value.operator.id}; enrol a key before locking a step`);
    const controller = new AbortController();
    inFlightTap = { ceremonyId, controller };
    try {
      const failed = await tapAndLock(
        { journal: deps.journal, signer: deps.signer, clock },
        { ceremonyId, step, allow, signal: controller.signal },
      );
      if (failed) return failed;
    } finally {
      inFlightTap = null;
    }
    return state(ceremonyId);
  }

  const named =
    <N extends Exclude<CommandName, 'start' | 'probe_sso' | 'lock_step'>>(name: N) =>
    (ceremonyId: string, args: CommandArgs<N>) =>
      command(ceremonyId, name, args);

  return {
    describe(): CeremonyCatalog {
      const c = deps.config;
      return {
        config_source: deps.configSource,
        scenarios: SCENARIOS.map((s) => ({
          id: s.id,
          ceremony_type: s.ceremony_type,
          title: s.title,
          runbook_text: s.runbook_text,
          fields: s.fields.map((f) => ({ ...f })),
        })),
        not_authorised: [...NOT_AUTHORISED],
        steps: Object.fromEntries(CEREMONY_TYPES.map((t) => [t, stepsFor(t)])) as Record<
          CeremonyType,
          StepDefinition[]
        >,
        principals: c.principals.map((p) => ({ id: p.id, name: p.name })),
        founders: c.founders.map((f) => ({ id: f.id, name: f.name, channels: [...f.channels] })),
        compliance_liaison: { name: c.compliance_liaison.name },
        accounts: c.accounts.map((a) => ({ ...a })),
        breakglass_role: c.breakglass_role ? { ...c.breakglass_role } : null,
        sso: { profile: c.sso.profile, region: c.sso.region },
      };
    },
    list(): CeremonySummaryView[] {
      const out: CeremonySummaryView[] = [];
      for (const c of deps.journal.ceremonies()) {
        if (c.kind_of_first !== 'ceremony_started') continue;
        const s = state(c.ceremony_id, { verify: false });
        if (!s.ok) continue;
        const v = s.value;
        out.push({
          ceremony_id: v.ceremony_id,
          type: v.type,
          drill: v.drill,
          operator: v.operator,
          started_at: v.started_at,
          phase: v.phase,
          current_step: v.current_step,
          entries: v.entries,
        });
      }
      return out;
    },
    getState: async (ceremonyId: string) => state(ceremonyId),
    start,
    command,
    selectScenario: named('select_scenario'),
    probeSso,
    notifyFounder: named('notify_founder'),
    selectAccount: named('select_account'),
    recordSignIn: named('record_sign_in'),
    writeAuditRow: named('write_audit_row'),
    recordRoleSession: named('record_role_session'),
    logAction: named('log_action'),
    finishMinimalAction: named('finish_minimal_action'),
    recordSignOut: named('record_sign_out'),
    lockStep: (ceremonyId: string, args: CommandArgs<'lock_step'>) => lockStep(ceremonyId, args),
    /** The closing tap before export: signs the head of a finished ceremony (see docs/threat-model.md). */
    seal: (ceremonyId: string) => lockStep(ceremonyId, { step: 'seal' }),
    cancelTap(): { cancelled: boolean } {
      if (!inFlightTap) return { cancelled: false };
      inFlightTap.controller.abort();
      return { cancelled: true };
    },
    addNote: named('add_note'),
    abort: named('abort'),
    recordAftercareEvidence: named('record_aftercare_evidence'),
    signOffAftercare: named('sign_off_aftercare'),
  };
}

export type CeremonyService = ReturnType<typeof createCeremonyService>;

function tamperedReason(ceremonyId: string, verdict: { seq: number; reason: string }): string {
  return `The journal of ${ceremonyId} does not verify at seq ${verdict.seq} (${verdict.reason}): it was changed outside Breakglass. Nothing more can be recorded but notes, and export is refused. Tell the founders; keep the laptop as it is.`;
}
