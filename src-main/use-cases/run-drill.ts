import { withDataDirLock } from '../fs/data-dir-lock';
import path from 'node:path';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import { scenarioById, type ScenarioId } from '../../src-shared/ceremony/scenarios';
import type { BreakglassConfig } from '../../src-shared/config/schema';
import type { EnrolledKey } from '../../src-shared/journal/types';
import { exportCeremony } from './export-ceremony';
import { decideEnrolmentSlot, isDrillKey } from '../hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys, saveEnrolledKey } from '../hardware-key/enrolment/enrolment-store';
import { createKeyService, type PinRequest } from '../hardware-key/key-service';
import { recordedSignCount } from '../hardware-key/enrolment/recorded-sign-count';
import { createVirtualAuthenticator } from '../hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../hardware-key/virtual/virtual-discovery';
import { openJournal } from '../journal/journal';
import { createCeremonyService } from '../ceremony/ceremony-service';
import { ok, refused, type Refusal, type Result } from '../../src-shared/result';
import { drillEvidence } from '../ceremony/drill-evidence';
import { sealIfNeeded } from '../ceremony/seal-ceremony';
import { simulatedSsoOutage } from '../ceremony/simulated-sso-probe';

export interface DrillOptions {
  dataDir: string;
  outDir: string;
  config: BreakglassConfig;
  configSource: string;
  appVersion: string;
  scenario?: string;
  account?: string;
  startTime?: Date;
  /** The real time now: without startTime the drill starts early enough to end at it. */
  now?: Date;
  durationMinutes?: number;
  actions?: string[];
  /**
   * Practise a PIN-protected key: the virtual key requires this PIN for every touch (alwaysUv)
   * and the drill types it. Held in memory for the drill only; nothing writes it.
   */
  pin?: string;
  /** Progress lines ("DRILL ..."); the caller prints them. */
  log?: (line: string) => void;
}

export interface DrillResult {
  ceremonyId: string;
  bundlePath: string;
  sessionLogPath: string;
  state: CeremonyState;
}

/** A step the core refused, named: the drill stops there and says which step and why. */
function stopped(step: string, error: Refusal): { ok: false; error: Refusal } {
  return { ok: false, error: { ...error, message: `${step}: ${error.message}` } };
}

/** Simulated minutes from start to the session: scenario 1, SSO probe 1 (root login only), notify 2, sign-in 2. */
const MINUTES_BEFORE_SIGN_IN = 6;
const MINUTES_BEFORE_ROLE_SESSION = 5;

/** The drill's own file: the virtual key's secret lives here so it survives restarts (drills only). */
export const VIRTUAL_KEY_STATE_FILE = 'virtual-key.drill.json';

/**
 * The whole ceremony, headless: the same service and checks as the app, with the virtual key
 * (enrolled on the fly if needed), a simulated SSO outage, and a simulated clock that moves only
 * when the drill says so. Every entry is marked drill; the export says DRILL.
 */
export async function runDrill(options: DrillOptions): Promise<Result<DrillResult>> {
  // Drills started together on one data directory take turns: the drill key's creation, its
  // enrolment and its signature counter would otherwise race (two enrolments, a counter that
  // seems to go back). Migrations of a fresh journal happen inside the lock too.
  return withDataDirLock(options.dataDir, () => runDrillLocked(options));
}

async function runDrillLocked(options: DrillOptions): Promise<Result<DrillResult>> {
  const scenarioId = (options.scenario ?? 'sso-down') as ScenarioId;
  const scenario = scenarioById(scenarioId);
  if (!scenario)
    return refused(
      'invalid-input',
      `unknown scenario "${options.scenario}": use sso-down, mfa-lost, console-outage or p0-role`,
      {
        field: 'scenario',
      },
    );
  const duration = options.durationMinutes ?? 15;
  if (!Number.isInteger(duration) || duration < 1 || duration > 240)
    return refused('invalid-input', 'the session length must be whole minutes from 1 to 240', {
      field: 'duration-minutes',
    });
  const log = options.log ?? (() => undefined);
  const role = scenario.ceremony_type === 'breakglass-role';
  // A journal's times are evidence: a drill's must not lie in the future, where they would sit
  // after any real entry recorded next. Unless told when to start, the simulated clock starts in
  // the past and reaches the real now at sign-out.
  const span = (role ? MINUTES_BEFORE_ROLE_SESSION : MINUTES_BEFORE_SIGN_IN) + duration;
  let t = options.startTime?.getTime() ?? (options.now ?? new Date()).getTime() - span * 60_000;
  const clock = () => new Date(t);
  const advance = (minutes: number) => (t += minutes * 60_000);

  const journal = openJournal({
    dataDir: options.dataDir,
    clock,
    clockName: "the drill's simulated clock (set by its start time)",
  });
  log(`DRILL config: ${options.configSource}`);
  const pin = options.pin;
  const device = createVirtualAuthenticator({
    touchDelayMs: 5,
    statePath: path.join(options.dataDir, VIRTUAL_KEY_STATE_FILE),
    ...(pin === undefined ? {} : { pin: { pin, alwaysUv: true } }),
  });
  const keys = createKeyService({
    discover: virtualDiscovery(device),
    rpId: options.config.keys.rp_id,
    recordedSignCount: (k) => recordedSignCount(journal.db, k),
    ...(pin === undefined
      ? {}
      : {
          askPin: async (request: PinRequest) => {
            log(`DRILL the key asks for its PIN (${request.retries} tries left): typed`);
            return pin;
          },
        }),
  });
  try {
    const operator = options.config.principals[0]!;
    const enrolled = await virtualKeysFor(operator.id);
    if (!enrolled.ok) return enrolled;
    const allow = enrolled.value;
    const service = createCeremonyService({
      journal,
      config: options.config,
      configSource: options.configSource,
      signer: { sign: (request) => keys.tap(request) },
      enrolledKeys: () => allow,
      ssoProbe: simulatedSsoOutage(clock),
      clock,
      appVersion: options.appVersion,
    });
    const r1 = await service.start({ type: scenario.ceremony_type, drill: true, operator_id: operator.id });
    if (!r1.ok) return stopped('start', r1.error);
    const started = r1.value;
    const id = started.ceremony_id;
    log(`DRILL ceremony ${id} (${scenario.ceremony_type}, scenario ${scenario.id}) starting ${clock().toISOString()}`);

    advance(1);
    const { evidence, reason } = drillEvidence(scenario.id, clock());
    const r2 = await service.selectScenario(id, { scenario_id: scenario.id, evidence, reason });
    if (!r2.ok) return stopped('scenario', r2.error);
    const r3 = await service.lockStep(id, { step: 'scenario' });
    if (!r3.ok) return stopped('lock scenario', r3.error);
    if (!role) {
      advance(1);
      const r4 = await service.probeSso(id);
      if (!r4.ok) return stopped('SSO probe', r4.error);
      const probed = r4.value;
      log(`DRILL SSO probe: ${probed.sso_probe?.outcome} (${probed.sso_probe?.error_message})`);
    }

    advance(2);
    const r5 = await service.getState(id);
    if (!r5.ok) return stopped('state', r5.error);
    let s = r5.value;
    const code = s.witness.current.text;
    for (const f of s.founders) {
      const r6 = await service.notifyFounder(id, {
        contact_id: f.contact_id,
        channel: f.channels[0]!,
        acknowledged: true,
      });
      if (!r6.ok) return stopped(`notify ${f.name}`, r6.error);
    }
    const r7 = await service.lockStep(id, { step: 'notify' });
    if (!r7.ok) return stopped('lock notify', r7.error);
    log(`DRILL founders notified (${s.founders.map((f) => f.name).join(', ')}); witness code: ${code}`);

    advance(2);
    if (role) {
      const ttl = Math.min(options.config.breakglass_role?.ttl_minutes ?? 60, 12 * 60);
      const r8 = await service.recordRoleSession(id, {
        source: 'vault',
        role_arn: options.config.breakglass_role!.role_arn,
        session_started_at: clock().toISOString(),
        expiration: new Date(t + ttl * 60_000).toISOString(),
      });
      if (!r8.ok) return stopped('role session', r8.error);
      const r9 = await service.lockStep(id, { step: 'role_session' });
      if (!r9.ok) return stopped('lock role session', r9.error);
    } else {
      const r10 = await service.selectAccount(id, { account_name: options.account ?? 'Production' });
      if (!r10.ok) return stopped('account', r10.error);
      const account = r10.value;
      const r11 = await service.recordSignIn(id, { ip_address: 'unknown', user_agent: 'unknown' });
      if (!r11.ok) return stopped('sign in', r11.error);
      const r12 = await service.lockStep(id, { step: 'sign_in' });
      if (!r12.ok) return stopped('lock sign-in', r12.error);
      log(`DRILL signed in to ${account.account?.name} (${account.account?.account_id})`);
      const r13 = await service.writeAuditRow(id, {
        incident_channel: 'NA',
        expected_session_duration_minutes: duration,
      });
      if (!r13.ok) return stopped('audit row', r13.error);
      const r14 = await service.lockStep(id, { step: 'audit_row' });
      if (!r14.ok) return stopped('lock audit row', r14.error);
    }

    const r15 = await service.getState(id);
    if (!r15.ok) return stopped('state', r15.error);
    s = r15.value;
    const sessionStart = Date.parse(role ? s.role_session!.session_started_at : s.sign_in!.signed_in_at);
    // The running log is never empty (finish_minimal_action refuses that): a drill with no
    // --action logs that it did nothing, as an operator would.
    const actions = options.actions?.length ? options.actions : ['did nothing: a DRILL given no action to log'];
    for (let i = 0; i < actions.length; i++) {
      t = sessionStart + Math.floor(((i + 1) * duration * 60_000) / (actions.length + 1));
      const r16 = await service.logAction(id, { text: actions[i]! });
      if (!r16.ok) return stopped(`action ${i + 1}`, r16.error);
      const logged = r16.value;
      const a = logged.actions.at(-1)!.payload;
      log(
        `DRILL action: ${a.text}${a.parsed.length ? ` [${a.parsed.map((p) => p.iam_action).join(', ')}]` : ''}${a.warnings.length ? ` WARNING: ${a.warnings.join(' | ')}` : ''}`,
      );
    }
    t = sessionStart + duration * 60_000;
    const r17 = await service.finishMinimalAction(id, {
      summary: `DRILL: ${actions.length} action(s) logged during a ${duration}-minute simulated session`,
    });
    if (!r17.ok) return stopped('minimal action', r17.error);
    const r18 = await service.recordSignOut(id, {
      expected_return_to_normal: 'DRILL: no outage; the standard path never left',
    });
    if (!r18.ok) return stopped('sign out', r18.error);
    const r19 = await service.lockStep(id, { step: 'sign_out' });
    if (!r19.ok) return stopped('lock sign-out', r19.error);
    const final = r19.value;
    log(
      `DRILL signed out after ${final.sign_out?.duration_minutes} min; final witness code: ${final.witness.final?.text}`,
    );

    const sealed = await sealIfNeeded(service, id);
    if (!sealed.ok) return stopped('seal', sealed.error);
    const r20 = await exportCeremony({
      journal,
      ceremonyId: id,
      outDir: options.outDir,
      keys: allow,
      now: clock(),
      config: options.config,
    });
    if (!r20.ok) return stopped('export', r20.error);
    const exported = r20.value;
    return ok({
      ceremonyId: id,
      bundlePath: exported.bundlePath,
      sessionLogPath: exported.sessionLogPath,
      state: final,
    });
  } finally {
    keys.close();
    journal.close();
  }

  /** The operator's virtual drill keys, enrolling one (primary, else backup) if there is none. */
  async function virtualKeysFor(operatorId: string): Promise<Result<EnrolledKey[]>> {
    const mine = listEnrolledKeys(journal.db, operatorId);
    const virtual = mine.filter((k) => isDrillKey(k) && k.rp_id === options.config.keys.rp_id);
    if (virtual.length > 0) return ok(virtual);
    // The drill key's own slots (the rule the app and `breakglass key enrol` use): real keys never fill them.
    const free = (['primary', 'backup'] as const).find(
      (label) => decideEnrolmentSlot(mine, { operator: operatorId, label, drill: true }).ok,
    );
    if (!free)
      return refused(
        'already-enrolled',
        `${operatorId} already has a drill primary and backup key for another relying party in ${options.dataDir}; run drills in their own data directory`,
      );
    const key = await keys.enrol({ operator: operatorId, label: free });
    const saved = saveEnrolledKey(journal.db, key);
    if (!saved.ok) return saved;
    log(`DRILL enrolled a virtual key for ${operatorId} (${free})`);
    return ok([key]);
  }
}
