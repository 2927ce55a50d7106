// The breakglass-role drill as the role-ceremony tests start from it: each test reaches its
// starting step through the core (the real IPC handlers, as the window would call them), then
// drives that one step through the window. A failure in one step then hides none of the others.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/db/open-database';
import type { Handlers } from '../../../src-main/ipc/handle';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { ceremonyDriver } from '../../support/drive-ceremony';
import { movableClock, openApp, press, type RunningApp } from './core';
import { resumeTheOnly } from './screen';

export const ROLE_ARN = 'arn:aws:iam::039624954211:role/breakglass-emergency';
export const SESSION_ARN = 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha-inc-drill-p0';
export const MINUTE = 60_000;

/** As the screens write times: UTC to the second, said so. */
export const utc = (t: number | string) =>
  `${new Date(typeof t === 'number' ? t : Date.parse(t)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
/** As the AWS CLI prints an STS Expiration: seconds, +00:00. */
export const awsTime = (t: number) =>
  new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export type StsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** Fresh, realistic-looking STS credentials for this run only, so finding them anywhere means this test put them there. */
export function stsCredentials(): StsCredentials {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return {
    accessKeyId: `ASIA${[...randomBytes(16)].map((b) => base32[b % 32]).join('')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    // Real session tokens start with this prefix (a protobuf header) and run to several hundred characters.
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(540).toString('base64')}`,
  };
}

/** Exactly what `aws sts assume-role --output json --duration-seconds 3600` prints. */
export function assumeRoleOutput(creds: StsCredentials, expiresAt: number) {
  return {
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: awsTime(expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: 'AROAQXZ7EXAMPLEROLE42:taha-inc-drill-p0', Arn: SESSION_ARN },
  };
}

/** The steps a role drill passes, in order; a test starts right after the one it names. */
const STAGES = ['started', 'scenario', 'notified', 'role-session', 'minimal-action', 'signed-out'] as const;
export type RoleStage = (typeof STAGES)[number];

/**
 * Drives a drill breakglass-role ceremony through the core up to and including `until`, as the
 * window does it (record, then lock with the tap). Minimal action logs three actions over 61
 * minutes of the test's clock, so the session outlives its one-hour credentials.
 */
export async function driveRoleDrill(
  handlers: Handlers,
  until: RoleStage,
  options: { creds: StsCredentials; clock: () => Date; advanceMinutes: (m: number) => void },
): Promise<void> {
  const { call, enrolDrillKey } = ceremonyDriver(handlers);
  const reached = (stage: RoleStage) => STAGES.indexOf(stage) <= STAGES.indexOf(until);
  const lock = (id: string, step: string) => call('ceremony:lockStep', id, { step });
  await enrolDrillKey();
  const { ceremony_id: id } = await call<CeremonyState>('ceremony:start', { type: 'breakglass-role', drill: true });
  if (reached('scenario')) {
    await call('ceremony:selectScenario', id, {
      scenario_id: 'p0-role',
      evidence: {
        incident_ref: 'INC-DRILL-P0-042',
        blocker: 'DRILL: the platform role cannot terminate the runaway production instances',
        approver: '@alice',
        cleanup_owner: '@bob',
      },
      reason: 'DRILL: P0 runaway fleet needs the breakglass role to stop it',
    });
    await lock(id, 'scenario');
  }
  if (reached('notified')) {
    await call('ceremony:notifyFounder', id, { contact_id: 'asad', channel: 'call', acknowledged: true });
    await call('ceremony:notifyFounder', id, { contact_id: 'ian', channel: 'call', acknowledged: true });
    await lock(id, 'notify');
  }
  if (reached('role-session')) {
    const output = assumeRoleOutput(options.creds, options.clock().getTime() + 60 * MINUTE);
    await call('ceremony:recordRoleSession', id, { source: 'sts', assume_role_output: JSON.stringify(output) });
    await lock(id, 'role_session');
  }
  if (reached('minimal-action')) {
    await call('ceremony:logAction', id, {
      text: 'ran: aws ec2 describe-instances --instance-ids i-0abc1234def567890',
    });
    options.advanceMinutes(25);
    await call('ceremony:logAction', id, {
      text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890',
    });
    options.advanceMinutes(36);
    await call('ceremony:logAction', id, { text: 'ran: aws sts get-caller-identity' });
    await call('ceremony:finishMinimalAction', id, {
      summary: 'DRILL: terminated the runaway instance i-0abc1234def567890',
    });
  }
  if (reached('signed-out')) {
    await call('ceremony:recordSignOut', id, {});
    await lock(id, 'sign_out');
  }
}

/**
 * A window on a fresh data directory; with a stage, the drill driven through the core up to it
 * and the window opened on the step after it, as the person would (resume, or open after-care).
 */
export async function openRoleDrill(browser: Browser, dataDir: string, stage: RoleStage | null) {
  const { clock, advanceMinutes } = movableClock();
  const creds = stsCredentials();
  const drive = stage ? (h: Handlers) => driveRoleDrill(h, stage, { creds, clock, advanceMinutes }) : undefined;
  const app = await openApp(browser, dataDir, { clock }, drive);
  if (stage === 'signed-out') {
    // A signed-out ceremony is listed under "After-care in progress", not as unfinished.
    const openAftercare = app.page.getByRole('button', { name: /^Open after-care of DRILL / });
    await expect.poll(() => openAftercare.count(), { timeout: 15_000 }).toBe(1);
    await press(openAftercare);
  } else if (stage) await resumeTheOnly(app.page);
  const ceremony = () => app.core.ceremony(true)!;
  const id = async () => (await ceremony().list())[0]!.ceremony_id;
  const entries = async () => app.core.journal.entries(await id());
  const state = async () => {
    const s = await ceremony().getState(await id());
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };
  const sessionStart = async () => {
    const session = (await entries()).find((e) => e.kind === 'role_session_started')!;
    return Date.parse(session.payload.session_started_at as string);
  };
  const secrets = [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken];
  return {
    app,
    page: app.page,
    dataDir,
    clock,
    advanceMinutes,
    creds,
    secrets,
    ceremony,
    id,
    entries,
    state,
    sessionStart,
  };
}

export type RoleDrillWindow = Awaited<ReturnType<typeof openRoleDrill>>;

/** The cleanup checklist 61 minutes into the role session: [id, state, runbook step, due after minutes]. */
export const CLEANUP_AT_61_MINUTES: Array<[string, string, string, number]> = [
  ['cleanup.session-log', 'overdue', 'breakglass-cleanup-runbook Step 1 (hour 0-1)', 60],
  ['cleanup.verify-expiry', 'due', 'breakglass-cleanup-runbook Step 2 (hour 1-2)', 120],
  ['cleanup.inventory-cloudtrail', 'due', 'breakglass-cleanup-runbook Step 3a (hour 1-3)', 180],
  ['cleanup.inventory-terraform', 'due', 'breakglass-cleanup-runbook Step 3b (hour 1-3)', 180],
  ['cleanup.inventory-argocd', 'due', 'breakglass-cleanup-runbook Step 3c (hour 1-3)', 180],
  ['cleanup.inventory-secrets', 'due', 'breakglass-cleanup-runbook Step 3d (hour 1-3)', 180],
  ['cleanup.rotate', 'not-yet', 'breakglass-cleanup-runbook Step 4 (hour 2-3)', 180],
  ['cleanup.policies-detached', 'not-yet', 'breakglass-cleanup-runbook Step 5 (hour 3-4)', 240],
  ['cleanup.postmortem', 'not-yet', 'breakglass-cleanup-runbook Step 6 (hour 4-24)', 24 * 60],
  ['cleanup.alerting-action-item', 'not-yet', 'breakglass-cleanup-runbook Step 7 (action item)', 24 * 60],
  [
    'cleanup.owner-signoff',
    'not-yet',
    'breakglass-cleanup-runbook Step 6: the cleanup-owner certifies Steps 2-5 are complete',
    24 * 60,
  ],
];

/** Every file under the data directory, recursively (journal, WAL, exports, the virtual key's state). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Where a secret string turns up: every value of every row of every table, and the raw bytes of every file. */
export function secretSightings(app: RunningApp, dataDir: string, secrets: string[], minRows: number): string[] {
  const db = app.core.journal.db;
  const found: string[] = [];
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
  ).map((t) => t.name);
  expect(tables).toEqual(expect.arrayContaining(['entries', 'heads', 'checkpoints', 'enrolled_keys']));
  let rows = 0;
  for (const table of tables) {
    for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>) {
      rows++;
      for (const [column, value] of Object.entries(row)) {
        const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
        for (const s of secrets) if (text.includes(s)) found.push(`${table}.${column}`);
      }
    }
  }
  expect(rows).toBeGreaterThan(minRows);
  const files = filesUnder(dataDir);
  expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining([DATABASE_FILE]));
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const s of secrets) {
      // As written (latin1/UTF-8) and as SQLite or a UTF-16 writer would hold it.
      if (bytes.includes(Buffer.from(s, 'latin1')) || bytes.includes(Buffer.from(s, 'utf16le')))
        found.push(path.relative(dataDir, file));
    }
  }
  return found;
}

/** After the app closed (the WAL folded back into the database): no secret in the database files. */
export function expectNoSecretInClosedDatabase(dataDir: string, secrets: string[]): void {
  const closed = filesUnder(dataDir).filter((f) => path.basename(f).startsWith(DATABASE_FILE));
  expect(closed.length).toBeGreaterThan(0);
  for (const file of closed) {
    const bytes = readFileSync(file);
    for (const s of secrets) expect(bytes.includes(Buffer.from(s, 'latin1')), path.basename(file)).toBe(false);
  }
}
