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
import type { Result } from '../../src-shared/result';
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

export class DrillError extends Error {}

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
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  // Drills started together on one data directory take turns: the drill key's creation, its
  // enrolment and its signature counter would otherwise race (two enrolments, a counter that
  // seems to go back). Migrations of a fresh journal happen inside the lock too.
  return withDataDirLock(options.dataDir, () => runDrillLocked(options));
}

async function runDrillLocked(options: DrillOptions): Promise<DrillResult> {
  const scenarioId = (options.scenario ?? 'sso-down') as ScenarioId;
  const scenario = scenarioById(scenarioId);
  if (!scenario)
    throw new DrillError(`unknown scenario "${options.scenario}": use sso-down, mfa-lost, console-outage or p0-role`);
  const duration = options.durationMinutes ?? 15;
  if (!Number.isInteger(duration) || duration < 1 || duration > 240)
    throw new DrillError('--duration-minutes: expected whole minutes from 1 to 240');
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
    clockName: "the drill's simulated clock (--start-time)",
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
    const allow = await virtualKeysFor(operator.id);
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
    const must = async <T>(what: string, r: Promise<Result<T>>): Promise<T> => {
      const out = await r;
      if (!out.ok) throw new DrillError(`${what}: ${out.error.message}`);
      return out.value;
    };
    const started = await must(
      'start',
      service.start({ type: scenario.ceremony_type, drill: true, operator_id: operator.id }),
    );
    const id = started.ceremony_id;
    log(`DRILL ceremony ${id} (${scenario.ceremony_type}, scenario ${scenario.id}) starting ${clock().toISOString()}`);

    advance(1);
    const { evidence, reason } = drillEvidence(scenario.id, clock());
    await must('scenario', service.selectScenario(id, { scenario_id: scenario.id, evidence, reason }));
    await must('lock scenario', service.lockStep(id, { step: 'scenario' }));
    if (!role) {
      advance(1);
      const probed = await must('SSO probe', service.probeSso(id));
      log(`DRILL SSO probe: ${probed.sso_probe?.outcome} (${probed.sso_probe?.error_message})`);
    }

    advance(2);
    let s = await must('state', service.getState(id));
    const code = s.witness.current.text;
    for (const f of s.founders) {
      await must(
        `notify ${f.name}`,
        service.notifyFounder(id, { contact_id: f.contact_id, channel: f.channels[0]!, acknowledged: true }),
      );
    }
    await must('lock notify', service.lockStep(id, { step: 'notify' }));
    log(`DRILL founders notified (${s.founders.map((f) => f.name).join(', ')}); witness code: ${code}`);

    advance(2);
    if (role) {
      const ttl = Math.min(options.config.breakglass_role?.ttl_minutes ?? 60, 12 * 60);
      await must(
        'role session',
        service.recordRoleSession(id, {
          source: 'vault',
          role_arn: options.config.breakglass_role!.role_arn,
          session_started_at: clock().toISOString(),
          expiration: new Date(t + ttl * 60_000).toISOString(),
        }),
      );
      await must('lock role session', service.lockStep(id, { step: 'role_session' }));
    } else {
      const account = await must(
        'account',
        service.selectAccount(id, { account_name: options.account ?? 'Production' }),
      );
      await must('sign in', service.recordSignIn(id, { ip_address: 'unknown', user_agent: 'unknown' }));
      await must('lock sign-in', service.lockStep(id, { step: 'sign_in' }));
      log(`DRILL signed in to ${account.account?.name} (${account.account?.account_id})`);
      await must(
        'audit row',
        service.writeAuditRow(id, { incident_channel: 'NA', expected_session_duration_minutes: duration }),
      );
      await must('lock audit row', service.lockStep(id, { step: 'audit_row' }));
    }

    s = await must('state', service.getState(id));
    const sessionStart = Date.parse(role ? s.role_session!.session_started_at : s.sign_in!.signed_in_at);
    // The running log is never empty (finish_minimal_action refuses that): a drill with no
    // --action logs that it did nothing, as an operator would.
    const actions = options.actions?.length ? options.actions : ['did nothing: DRILL without --action'];
    for (let i = 0; i < actions.length; i++) {
      t = sessionStart + Math.floor(((i + 1) * duration * 60_000) / (actions.length + 1));
      const logged = await must(`action ${i + 1}`, service.logAction(id, { text: actions[i]! }));
      const a = logged.actions.at(-1)!;
      log(
        `DRILL action: ${a.text}${a.parsed.length ? ` [${a.parsed.map((p) => p.iam_action).join(', ')}]` : ''}${a.warnings.length ? ` WARNING: ${a.warnings.join(' | ')}` : ''}`,
      );
    }
    t = sessionStart + duration * 60_000;
    await must(
      'minimal action',
      service.finishMinimalAction(id, {
        summary: `DRILL: ${actions.length} action(s) logged during a ${duration}-minute simulated session`,
      }),
    );
    await must(
      'sign out',
      service.recordSignOut(id, { expected_return_to_normal: 'DRILL: no outage; the standard path never left' }),
    );
    const final = await must('lock sign-out', service.lockStep(id, { step: 'sign_out' }));
    log(
      `DRILL signed out after ${final.sign_out?.duration_minutes} min; final witness code: ${final.witness.final?.text}`,
    );

    const sealed = await sealIfNeeded(service, id);
    if (!sealed.ok) throw new DrillError(`seal: ${sealed.error.message}`);
    const exported = await must(
      'export',
      Promise.resolve(
        exportCeremony({
          journal,
          ceremonyId: id,
          outDir: options.outDir,
          keys: allow,
          now: clock(),
          config: options.config,
        }),
      ),
    );
    return { ceremonyId: id, bundlePath: exported.bundlePath, sessionLogPath: exported.sessionLogPath, state: final };
  } finally {
    keys.close();
    journal.close();
  }

  /** The operator's virtual drill keys, enrolling one (primary, else backup) if there is none. */
  async function virtualKeysFor(operatorId: string): Promise<EnrolledKey[]> {
    const mine = listEnrolledKeys(journal.db, operatorId);
    const virtual = mine.filter((k) => isDrillKey(k) && k.rp_id === options.config.keys.rp_id);
    if (virtual.length > 0) return virtual;
    // The drill key's own slots (the rule the app and `breakglass key enrol` use): real keys never fill them.
    const free = (['primary', 'backup'] as const).find(
      (label) => decideEnrolmentSlot(mine, { operator: operatorId, label, drill: true }).ok,
    );
    if (!free)
      throw new DrillError(
        `${operatorId} already has a drill primary and backup key for another relying party in ${options.dataDir}; run drills in their own data directory`,
      );
    const key = await keys.enrol({ operator: operatorId, label: free });
    saveEnrolledKey(journal.db, key);
    log(`DRILL enrolled a virtual key for ${operatorId} (${free})`);
    return [key];
  }
}
