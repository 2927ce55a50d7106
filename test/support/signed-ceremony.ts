import { saveEnrolledKey } from '../../src-main/hardware-key/enrolment/enrolment-store';
import { createCeremonyService, type CeremonyService } from '../../src-main/ceremony/ceremony-service';
import type { Result } from '../../src-shared/result';
import { drillEvidence } from '../../src-main/ceremony/drill-evidence';
import { sealIfNeeded } from '../../src-main/ceremony/seal-ceremony';
import { exportCeremony } from '../../src-main/use-cases/export-ceremony';
import { trustFileText } from '../../src-main/evidence/trust-file';
import { openJournal, type Journal } from '../../src-main/journal/journal';
import { builtInConfig } from '../../src-shared/config/example-config';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSoftwareKey, type SoftwareKey } from './software-key';
import { valueOf } from './unwrap-handlers';

/**
 * A ceremony recorded the way the app records it: the real ceremony service, a real P-256 key
 * signing every lock (software, standing in for the YubiKey), and a clock the script moves.
 * Tests of the verifier, reconcile and export start from this, so their evidence is genuine.
 */
export interface CeremonyScript {
  type?: 'root-login' | 'breakglass-role';
  drill?: boolean;
  /** When the ceremony starts (ISO); every later step defaults to a minute after the one before. */
  start: string;
  signIn?: { at: string; ip?: string; userAgent?: string; account?: string };
  role?: { at: string; expiration: string };
  actions?: Array<{ at: string; text: string }>;
  signOutAt: string;
  /** false: stop before the sign-out (an unfinished ceremony). */
  finish?: boolean;
  /** false: do not seal after sign-out. */
  seal?: boolean;
  /** Appends more running-log entries straight to the journal after the scripted ones (benchmarks). */
  bulk?: (append: (at: string, text: string) => void) => void;
}

export interface RecordedCeremony {
  journal: Journal;
  service: CeremonyService;
  ceremonyId: string;
  key: SoftwareKey;
  clock: { set(iso: string): void; now(): Date };
  /** Exports into `dir` (bundle, session log) and returns the bundle path. */
  exportTo(dir: string): string;
  /** Writes the trusted-keys file of this ceremony's key into `dir` and returns its path. */
  trustFile(dir: string): string;
  close(): void;
}

export async function recordCeremony(dataDir: string, script: CeremonyScript): Promise<RecordedCeremony> {
  const config = builtInConfig();
  let t = Date.parse(script.start);
  const clock = { set: (iso: string) => (t = Date.parse(iso)), now: () => new Date(t) };
  const tick = () => (t += 60_000);
  const journal = openJournal({ dataDir, clock: clock.now });
  const key = createSoftwareKey({
    rpId: config.keys.rp_id,
    operator: config.principals[0]!.id,
    virtual: script.drill === true,
  });
  const saved = saveEnrolledKey(journal.db, key.enrolled);
  if (!saved.ok) throw new Error(saved.error.message);
  const service = createCeremonyService({
    journal,
    config,
    configSource: 'test script',
    signer: {
      sign: async ({ clientDataHash }) => ({ credential_id: key.enrolled.credential_id, ...key.sign(clientDataHash) }),
    },
    enrolledKeys: () => [key.enrolled],
    ssoProbe: async ({ profile, region }) => ({
      profile,
      region,
      endpoint: `https://portal.sso.${region}.amazonaws.com`,
      attempted_at: clock.now().toISOString(),
      outcome: 'sso_unavailable',
      error_name: 'ServiceUnavailableException',
    }),
    clock: clock.now,
    appVersion: '0.0.0-test',
  });
  const must = async (what: string, r: Promise<Result<CeremonyState>>) => {
    const out = await r;
    if (!out.ok) throw new Error(`recordCeremony: ${what}: ${out.error.message}`);
    return out.value;
  };
  const role = script.type === 'breakglass-role';
  const id = (
    await must('start', service.start({ type: role ? 'breakglass-role' : 'root-login', drill: script.drill ?? false }))
  ).ceremony_id;
  tick();
  const scenario = role ? 'p0-role' : 'sso-down';
  const { evidence, reason } = drillEvidence(scenario, clock.now());
  await must(
    'scenario',
    service.selectScenario(id, { scenario_id: scenario, evidence, reason: reason.replace('DRILL: ', '') }),
  );
  await must('lock scenario', service.lockStep(id, { step: 'scenario' }));
  if (!role) {
    tick();
    await must('probe', service.probeSso(id));
  }
  tick();
  const s = await must('state', service.getState(id));
  for (const f of s.founders)
    await must(
      `notify ${f.name}`,
      service.notifyFounder(id, { contact_id: f.contact_id, channel: f.channels[0]!, acknowledged: true }),
    );
  await must('lock notify', service.lockStep(id, { step: 'notify' }));
  if (role) {
    const r = script.role ?? {
      at: new Date(t + 60_000).toISOString(),
      expiration: new Date(t + 61 * 60_000).toISOString(),
    };
    clock.set(r.at);
    await must(
      'role',
      service.recordRoleSession(id, {
        source: 'vault',
        role_arn: config.breakglass_role!.role_arn,
        session_started_at: r.at,
        expiration: r.expiration,
      }),
    );
    await must('lock role', service.lockStep(id, { step: 'role_session' }));
  } else {
    const signIn = script.signIn ?? { at: new Date(t + 60_000).toISOString() };
    tick();
    await must('account', service.selectAccount(id, { account_name: signIn.account ?? 'Production' }));
    clock.set(signIn.at);
    await must(
      'sign in',
      service.recordSignIn(id, {
        signed_in_at: signIn.at,
        ip_address: signIn.ip ?? '203.0.113.7',
        user_agent: signIn.userAgent ?? 'Mozilla/5.0',
      }),
    );
    await must('lock sign-in', service.lockStep(id, { step: 'sign_in' }));
    tick();
    await must(
      'audit row',
      service.writeAuditRow(id, {
        incident_channel: 'https://chat.example.com/room/INC-1',
        expected_session_duration_minutes: 30,
      }),
    );
    await must('lock audit', service.lockStep(id, { step: 'audit_row' }));
  }
  const actions = script.actions?.length
    ? script.actions
    : [{ at: new Date(t + 60_000).toISOString(), text: 'did nothing: the test ceremony' }];
  for (const a of actions) {
    clock.set(a.at);
    await must(`action ${a.text}`, service.logAction(id, { text: a.text, logged_at: a.at }));
  }
  if (script.bulk) {
    journal.db.transaction(() =>
      script.bulk!((at, text) => {
        clock.set(at);
        journal.append(id, 'action_logged', { text, logged_at: at, parsed: [], warnings: [] });
      }),
    )();
  }
  if (script.finish !== false) {
    tick();
    await must(
      'finish',
      service.finishMinimalAction(id, { summary: 'the minimal action, as logged in the running log' }),
    );
    clock.set(script.signOutAt);
    await must(
      'sign out',
      service.recordSignOut(id, { signed_out_at: script.signOutAt, expected_return_to_normal: 'when SSO is back' }),
    );
    await must('lock sign-out', service.lockStep(id, { step: 'sign_out' }));
    if (script.seal !== false) {
      tick();
      const sealed = await sealIfNeeded(service, id);
      if (!sealed.ok) throw new Error(`recordCeremony: seal: ${sealed.error.message}`);
    }
  }
  return {
    journal,
    service,
    ceremonyId: id,
    key,
    clock,
    exportTo: (dir) =>
      valueOf(exportCeremony({ journal, ceremonyId: id, outDir: dir, keys: [key.enrolled], now: clock.now(), config }))
        .bundlePath,
    trustFile: (dir) => {
      const file = path.join(dir, 'trusted-keys.json');
      writeFileSync(file, trustFileText([key.enrolled]));
      return file;
    },
    close: () => journal.close(),
  };
}
