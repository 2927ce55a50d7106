import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Document } from 'bson';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalize } from '../../src-shared/canonical-json';
import { EXAMPLE_CONFIG } from '../../src-shared/config/example-config';
import type { IpcResult, SyncStatusView } from '../../src-shared/ipc/contract';
import type { JournalEntry } from '../../src-shared/journal/types';
import {
  startMongoWireServer,
  type MongoWireServer,
  type MongoWireServerOptions,
} from '../support/mongo-wire-server/index';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, screenshot, typeInto, type RunningApp } from './support/core';
import { resumeTheOnly } from './support/screen';
import { SSO_DOWN } from './support/scenarios';

/**
 * What the window says about copying the journal to MongoDB agent_audit_log, with the real
 * core services, the real `mongodb` driver and the wire-protocol test server behind it.
 * The sync runs with the app's own settings (3 s server selection, 2 s backoff), so the
 * waits below are about what the status bar shows, bounded by generous poll timeouts.
 */

const NS = 'breakglass.agent_audit_log';
const OPERATOR_ID = 'taha@example.com';
const PASSWORD = 'correct-horse-battery-staple';
/** The sync's first attempt, its backoff and a 3 s server selection all fit well inside this. */
const SYNC_WAIT = { timeout: 30_000, interval: 100 };

const syncPill = (page: Page): Locator => page.getByTestId('sync-status');
/** Main's own line (visible, or for screen readers when offline is shown calmly). */
const pillText = async (page: Page): Promise<string> =>
  (await syncPill(page).getByTestId('sync-detail').textContent()) ?? '';
const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'} waiting`;
/** How the status bar writes a time: seconds, UTC. */
const clockTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
/** After a failure the line ends with when the next automatic try is due. */
const NEXT_TRY = '(; next try \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC)?';

/** Anything that looks like a stack trace or an internal error dump rather than words for a person. */
const NOT_FOR_PEOPLE = /\n\s*at |\bat .*\.(?:js|ts):\d+|Mongo\w*Error|\[object |undefined|TypeError|ReferenceError/;

/** A configuration file in the data directory: the runbook's tables plus a `mongodb` section. */
function writeConfig(dataDir: string, uri: string): string {
  const file = path.join(dataDir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...EXAMPLE_CONFIG, mongodb: { uri, database: 'breakglass' } }, null, 2));
  return file;
}

/** "Sync now" through the typed bridge, exactly as the renderer's store calls it (window.api.sync.now()). */
function syncNowFromRenderer(page: Page): Promise<IpcResult<SyncStatusView>> {
  return page.evaluate(() =>
    (window as unknown as { api: { sync: { now: () => Promise<IpcResult<SyncStatusView>> } } }).api.sync.now(),
  );
}

function syncStatusFromRenderer(page: Page): Promise<IpcResult<SyncStatusView>> {
  return page.evaluate(() =>
    (window as unknown as { api: { sync: { status: () => Promise<IpcResult<SyncStatusView>> } } }).api.sync.status(),
  );
}

function unwrap<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * A drill root-login ceremony through main's handlers up to step 6 (the audit row written and
 * locked, one action logged): every kind the sync maps specially, and real key-signed checkpoints.
 */
async function ceremonyToMinimalAction(app: RunningApp): Promise<string> {
  const h = app.handlers;
  await h['key:enrol']({ drill: true, label: 'primary' });
  const id = (await h['ceremony:start']({ type: 'root-login', drill: true })).ceremony_id;
  await h['ceremony:selectScenario'](id, SSO_DOWN(app.core.clock(), 'INC-DRILL-SYNC'));
  await h['ceremony:lockStep'](id, { step: 'scenario' });
  await h['ceremony:probeSso'](id, {});
  for (const contact_id of ['asad', 'ian'])
    await h['ceremony:notifyFounder'](id, { contact_id, channel: 'call', acknowledged: true });
  await h['ceremony:lockStep'](id, { step: 'notify' });
  await h['ceremony:selectAccount'](id, { account_name: 'Production' });
  await h['ceremony:recordSignIn'](id, { ip_address: '203.0.113.7', user_agent: 'Firefox/140 (drill)' });
  await h['ceremony:lockStep'](id, { step: 'sign_in' });
  await h['ceremony:writeAuditRow'](id, {
    incident_channel: 'https://chat.example/inc-drill-sync',
    expected_session_duration_minutes: 15,
  });
  await h['ceremony:lockStep'](id, { step: 'audit_row' });
  await h['ceremony:logAction'](id, { text: 'ran: aws ec2 describe-instances --instance-ids i-0abc' });
  return id;
}

/** The window after a restart lands on the open step; it is the one the operator keeps working in. */
async function reopenOnCeremony(page: Page): Promise<void> {
  await page.reload();
  await resumeTheOnly(page);
  await expect.poll(() => page.locator('h1').first().textContent()).toContain('6. Minimal action only');
}

/** One action typed into the minimal-action screen and recorded (Enter), as the operator does it. */
async function logActionInUi(page: Page, text: string): Promise<void> {
  await typeInto(page.getByRole('textbox', { name: 'What you ran or did (Enter records it)', exact: true }), text);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('action-log').textContent()).toContain(text);
}

/**
 * The collection against the journal: every entry exactly once under `<ceremony>:<seq>`, nothing
 * else, and each row in the shape docs/sync.md gives (the login row is the runbook's row; every
 * other row carries what its journal hash covers, so the hash recomputes from the row alone).
 */
function expectCollectionMatchesJournal(server: MongoWireServer, app: RunningApp, ceremonyId: string): void {
  const journalEntries = app.core.journal.entries(ceremonyId);
  const ids = server.store.all(NS).map((d) => String(d._id));
  expect(new Set(ids).size, 'no _id twice').toBe(ids.length);
  expect([...ids].sort()).toEqual(journalEntries.map((e) => `${e.ceremony_id}:${e.seq}`).sort());
  // Nothing went anywhere but breakglass.agent_audit_log.
  expect(server.store.count(NS)).toBe(journalEntries.length);

  const checkpoints = app.core.journal.checkpoints(ceremonyId);
  const kinds = new Set<string>();
  for (const entry of journalEntries) {
    const doc = server.store.get(NS, `${ceremonyId}:${entry.seq}`)!;
    kinds.add(entry.kind);
    if (entry.kind === 'audit_row_written') {
      expectLoginRow(doc, entry);
      continue;
    }
    expect(Object.keys(doc), entry.kind).toEqual([
      '_id',
      'timestamp',
      'actor_id',
      'actor_role',
      'action',
      'resource_type',
      'resource_id',
      'result',
      'metadata',
    ]);
    expect(doc.timestamp).toBeInstanceOf(Date);
    expect((doc.timestamp as Date).toISOString()).toBe(entry.recorded_at);
    expect(doc).toMatchObject({
      actor_id: OPERATOR_ID,
      actor_role: 'break_glass_root',
      resource_type: 'break_glass_ceremony',
      resource_id: ceremonyId,
      result: 'success',
    });
    const m = doc.metadata as Document;
    expect(m).toMatchObject({
      ceremony_id: ceremonyId,
      seq: entry.seq,
      kind: entry.kind,
      recorded_at: entry.recorded_at,
      hash: entry.hash,
      prev_hash: entry.prev_hash,
      ceremony_type: 'root-login',
      drill: true,
    });
    expect(m.payload).toEqual(entry.payload);
    // The row alone proves its entry: the journal's hash recomputes from metadata.
    const hashed = canonicalize({
      ceremony_id: m.ceremony_id,
      seq: m.seq,
      kind: m.kind,
      payload: m.payload,
      recorded_at: m.recorded_at,
      prev_hash: m.prev_hash,
    });
    expect(createHash('sha256').update(hashed, 'utf8').digest('hex'), `${entry.kind} #${entry.seq}`).toBe(entry.hash);
    if (entry.kind === 'step_locked') {
      const cp = checkpoints.find((c) => c.seq === (entry.payload.checkpoint as { seq: number }).seq)!;
      expect(m.checkpoint).toMatchObject({
        seq: cp.seq,
        head_hash: cp.head_hash,
        step: cp.step,
        signature: cp.signature,
        credential_id: cp.credential_id,
        sign_count: cp.sign_count,
      });
    } else {
      expect(m).not.toHaveProperty('checkpoint');
    }
  }
  const actionOf = (kind: string) =>
    server.store
      .all(NS)
      .filter((d) => (d.metadata as Document).kind === kind)
      .map((d) => d.action as string);
  expect(actionOf('ceremony_started')).toEqual(['break_glass_ceremony_started']);
  expect(actionOf('founder_notified')).toEqual(['break_glass_notify', 'break_glass_notify']);
  expect(new Set(actionOf('step_locked'))).toEqual(new Set(['break_glass_step_locked']));
  expect(actionOf('action_logged').every((a) => a === 'break_glass_action')).toBe(true);
  expect([...kinds]).toEqual(
    expect.arrayContaining([
      'ceremony_started',
      'scenario_selected',
      'sso_probe',
      'founder_notified',
      'step_locked',
      'account_selected',
      'signed_in',
      'audit_row_written',
      'action_logged',
    ]),
  );
}

/** The runbook's row, field for field and in its order, timestamp a BSON Date; nothing added but _id. */
function expectLoginRow(doc: Document, entry: JournalEntry): void {
  const row = entry.payload.row as Record<string, unknown>;
  expect(Object.keys(doc)).toEqual([
    '_id',
    'timestamp',
    'actor_id',
    'actor_role',
    'action',
    'resource_type',
    'resource_id',
    'ip_address',
    'user_agent',
    'result',
    'metadata',
  ]);
  expect(doc.timestamp).toBeInstanceOf(Date);
  expect((doc.timestamp as Date).toISOString()).toBe(new Date(row.timestamp as string).toISOString());
  const { _id, timestamp, ...rest } = doc;
  void _id;
  void timestamp;
  const { timestamp: rowTimestamp, ...rowRest } = row;
  void rowTimestamp;
  expect(rest).toEqual(rowRest);
  expect(rest).toMatchObject({
    actor_id: OPERATOR_ID,
    actor_role: 'break_glass_root',
    action: 'break_glass_root_login',
    resource_type: 'aws_account',
    resource_id: '039624954211',
    ip_address: '203.0.113.7',
    user_agent: 'Firefox/140 (drill)',
    result: 'success',
    metadata: {
      reason: 'DRILL: failover needs AWS API access now',
      incident_channel: 'https://chat.example/inc-drill-sync',
      expected_session_duration_minutes: 15,
    },
  });
}

describe.runIf(chromiumAvailable())(
  'the status bar tells the truth about syncing to agent_audit_log (real core, real driver, wire server)',
  () => {
    const tempDir = useTempDir('breakglass-e2e-sync-');
    const chromium = useChromium();
    const servers: MongoWireServer[] = [];
    const apps: RunningApp[] = [];
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
      for (const server of servers.splice(0)) await server.stop();
    });

    async function startServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
      const server = await startMongoWireServer({ maxLifetimeMs: 5 * 60_000, ...options });
      servers.push(server);
      return server;
    }

    /** A loopback port where a server was a moment ago: connections are refused. */
    async function deadPort(): Promise<number> {
      const s = await startMongoWireServer();
      await s.stop();
      return s.port;
    }

    async function open(dataDir: string, options: Parameters<typeof openApp>[2] = {}): Promise<RunningApp> {
      const app = await openApp(chromium(), dataDir, options);
      apps.push(app);
      return app;
    }

    it('without a MongoDB URI: says "not configured" with the real local count, never "synced"; the ceremony carries on', async () => {
      const app = await open(tempDir());
      const { page } = app;
      await expect.poll(() => pillText(page)).toBe('Sync: sync not configured');
      const id = await ceremonyToMinimalAction(app);
      await reopenOnCeremony(page);
      await logActionInUi(page, 'ran: aws ec2 describe-instance-status --instance-ids i-0abc');
      const total = app.core.journal.entries(id).length;
      // The count follows every append on its own, amber because nothing will send it.
      await expect.poll(() => pillText(page)).toBe(`Sync: sync not configured (${entries(total)} locally)`);
      expect(await syncPill(page).getAttribute('class')).toContain('warn');
      expect(await page.getByTestId('sync-now').count()).toBe(0); // nothing to sync to

      // Asking to sync when nothing is configured touches no network and counts what waits locally.
      const now = unwrap(await syncNowFromRenderer(page));
      expect(now).toMatchObject({ state: 'not-configured', pending: total, last_success_at: null, last_error: null });
      await expect.poll(() => pillText(page)).toBe(`Sync: sync not configured (${entries(total)} locally)`);
      expect(await pillText(page)).not.toMatch(/synced/i);
      expect(await page.getByTestId('config-path').textContent()).toMatch(
        /^Config: built-in example \(built-in example configuration/,
      );
      await screenshot(page, 'sync-00-not-configured');

      // The journal is whole and the ceremony still works from the screen.
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
      await logActionInUi(page, 'ran: aws ec2 describe-volumes');
      expect(app.core.journal.entries(id)).toHaveLength(total + 1);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
    });

    it('offline: the pending count and the reason in words, never "synced"; once the server is up, "sync now" pushes every entry exactly once', async () => {
      const dataDir = tempDir();
      const port = await deadPort();
      const uri = `mongodb://127.0.0.1:${port}/`;
      const configFile = writeConfig(dataDir, uri);
      const app = await open(dataDir);
      const { page } = app;
      expect(await page.getByTestId('config-path').textContent()).toMatch(
        new RegExp(`^Config: ${configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`),
      );

      const id = await ceremonyToMinimalAction(app);
      const total = app.core.journal.entries(id).length;
      const offline = new RegExp(
        `^Sync: ${entries(total)}: MongoDB at 127\\.0\\.0\\.1:${port} is not reachable \\(.*ECONNREFUSED.*\\)\\.${NEXT_TRY}$`,
      );
      await expect.poll(() => pillText(page), SYNC_WAIT).toMatch(offline);
      // Offline is shown calmly: amber, in words, no error code up front.
      expect(await syncPill(page).getAttribute('class')).toContain('warn');
      expect(await syncPill(page).getByTestId('sync-headline').textContent()).toBe(
        `Sync: offline — the ceremony works offline; will retry (${total} waiting)`,
      );
      expect(await pillText(page)).not.toMatch(NOT_FOR_PEOPLE);
      const view = unwrap(await syncStatusFromRenderer(page));
      expect(view).toMatchObject({ state: 'offline', pending: total, last_success_at: null });
      expect(view.next_attempt_at).not.toBeNull();
      await screenshot(page, 'sync-01-offline');

      // The journal keeps working while offline: an action typed on the screen is journalled, and
      // the count on the status bar grows with it.
      await reopenOnCeremony(page);
      await logActionInUi(page, 'ran: aws rds describe-db-instances');
      const offlineMore = new RegExp(
        `^Sync: ${entries(total + 1)}: MongoDB at 127\\.0\\.0\\.1:${port} is not reachable`,
      );
      await expect.poll(() => pillText(page), SYNC_WAIT).toMatch(offlineMore);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
      // While the server stays away, a "sync now" is one more honest failure, not a claim of success.
      const stillOffline = unwrap(await syncNowFromRenderer(page));
      expect(stillOffline).toMatchObject({ state: 'offline', pending: total + 1 });
      expect(`Sync: ${stillOffline.summary}`).toMatch(offlineMore);
      expect(stillOffline.summary).not.toMatch(/synced/i);

      // A restart while still offline: the count read back from the journal is the real one, the
      // status bar never claims "synced", and the reason comes back after the first try.
      await app.close();
      apps.splice(apps.indexOf(app), 1);
      const again = await open(dataDir);
      const notSynced = new RegExp(`^Sync: (syncing: |retrying: )?${entries(total + 1)}`);
      await expect.poll(() => pillText(again.page), SYNC_WAIT).toMatch(notSynced);
      expect(await pillText(again.page)).not.toMatch(/synced/i);
      await expect.poll(() => pillText(again.page), SYNC_WAIT).toMatch(offlineMore);

      // The server comes up where the URI points; "sync now" pushes everything.
      const server = await startServer({ port });
      // The person presses "Sync now" in the status bar (offered while entries wait).
      await press(again.page.getByTestId('sync-now'));
      await expect.poll(async () => unwrap(await syncStatusFromRenderer(again.page)).state, SYNC_WAIT).toBe('idle');
      const synced = unwrap(await syncStatusFromRenderer(again.page));
      expect(await again.page.getByTestId('sync-now').count()).toBe(0); // nothing waits: no button
      expect(synced).toMatchObject({ state: 'idle', pending: 0, last_error: null, next_attempt_at: null });
      expect(synced.last_success_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(synced.summary).toBe(`all entries synced (last ${clockTime(synced.last_success_at!)})`);
      await expect
        .poll(() => pillText(again.page), SYNC_WAIT)
        .toBe(`Sync: all entries synced (last ${clockTime(synced.last_success_at!)})`);
      expect(await syncPill(again.page).getAttribute('class')).toContain('ok');
      await screenshot(again.page, 'sync-02-synced');

      expectCollectionMatchesJournal(server, again, id);
      expect(server.store.count(NS)).toBe(total + 1);
      // The cursor and the error are kept in the journal database: the success cleared the error.
      const state = again.core.journal.db
        .prepare('SELECT last_success_at, last_error FROM sync_state WHERE id = 1')
        .get() as { last_success_at: string; last_error: string | null };
      expect(state).toEqual({ last_success_at: synced.last_success_at, last_error: null });

      // A new entry goes out on its own (the append nudges the sync); the status bar follows.
      await reopenOnCeremony(again.page);
      await logActionInUi(again.page, 'ran: aws rds reboot-db-instance --db-instance-identifier prod-1');
      await expect.poll(() => server.store.count(NS), SYNC_WAIT).toBe(total + 2);
      await expect
        .poll(() => pillText(again.page), SYNC_WAIT)
        .toMatch(/^Sync: all entries synced \(last \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
      expectCollectionMatchesJournal(server, again, id);
    });

    it('faults mid-sync: a refusal, a conflicting row after N entries and a dropped connection are shown in words with the count really left; retries leave no duplicates', async () => {
      const dataDir = tempDir();
      const server = await startServer();
      writeConfig(dataDir, server.uri);
      const app = await open(dataDir);
      const { page } = app;

      // 1. The server answers but refuses every write (an election that does not end).
      server.faults.always({ kind: 'not-primary' });
      const id = await ceremonyToMinimalAction(app);
      const journalEntries = app.core.journal.entries(id);
      const total = journalEntries.length;
      await expect
        .poll(() => pillText(page), SYNC_WAIT)
        .toMatch(
          new RegExp(
            `^Sync: ${entries(total)}: The MongoDB server is not accepting writes right now \\(NotWritablePrimary\\); it is probably electing a new primary\\.${NEXT_TRY}$`,
          ),
        );
      expect(await syncPill(page).getAttribute('class')).toContain('bad');
      expect(unwrap(await syncStatusFromRenderer(page))).toMatchObject({ state: 'error', pending: total });
      expect(server.store.count(NS)).toBe(0);
      await screenshot(page, 'sync-03-not-primary');

      // 2. Someone put a different login row under the audit row's id: the rows before it are
      //    stored and acknowledged, the sync stops there and says why; nothing is overwritten.
      const loginEntry = journalEntries.find((e) => e.kind === 'audit_row_written')!;
      const loginId = `${id}:${loginEntry.seq}`;
      const forged = {
        _id: loginId,
        timestamp: new Date(),
        actor_id: 'mallory@example.com',
        actor_role: 'break_glass_root',
        action: 'break_glass_root_login',
        resource_type: 'aws_account',
        resource_id: '039624954211',
        ip_address: '198.51.100.9',
        user_agent: 'curl/8',
        result: 'success',
        metadata: {},
      };
      server.store.put(NS, forged);
      server.faults.clear();
      const conflicted = unwrap(await syncNowFromRenderer(page));
      const left = total - loginEntry.seq;
      expect(conflicted).toMatchObject({ state: 'error', pending: left });
      const conflictText = `${entries(left)}: agent_audit_log already holds a different row with id ${loginId} (differs in `;
      expect(conflicted.summary.startsWith(conflictText)).toBe(true);
      expect(conflicted.summary).toMatch(
        new RegExp(`Sync stopped so the difference is not hidden; run \`breakglass audit-diff\`\\.${NEXT_TRY}$`),
      );
      // Field names as a person reads them: "timestamp", not the internal "timestamp.$date".
      expect(conflicted.summary).not.toContain('$');
      await expect.poll(() => pillText(page), SYNC_WAIT).toBe(`Sync: ${conflicted.summary}`);
      expect(await pillText(page)).not.toMatch(NOT_FOR_PEOPLE);
      expect(await syncPill(page).getAttribute('class')).toContain('bad');
      // What the count says is what is really missing: the rows before the login row are stored and
      // acknowledged; the forged row is untouched.
      for (const e of journalEntries.filter((x) => x.seq < loginEntry.seq))
        expect(server.store.has(NS, `${id}:${e.seq}`)).toBe(true);
      expect(server.store.get(NS, loginId)).toEqual(forged);
      await screenshot(page, 'sync-04-conflict');

      // Asking again while the forged row is there changes nothing: same words, same count.
      const again = unwrap(await syncNowFromRenderer(page));
      expect(again).toMatchObject({ state: 'error', pending: left, last_error: conflicted.last_error });
      expect(server.store.get(NS, loginId)).toEqual(forged);

      // The forged row is removed (after audit-diff); the retry completes with no duplicates.
      server.store.remove(NS, loginId);
      const resolved = unwrap(await syncNowFromRenderer(page));
      expect(resolved).toMatchObject({ state: 'idle', pending: 0, last_error: null });
      await expect
        .poll(() => pillText(page), SYNC_WAIT)
        .toBe(`Sync: all entries synced (last ${clockTime(resolved.last_success_at!)})`);
      expectCollectionMatchesJournal(server, app, id);

      // 3. The server stores each batch but the connection drops before the acknowledgement, on
      //    every try (the driver's own single retry included): the rows are there, but unconfirmed,
      //    so they are still counted as waiting.
      server.faults.always({ kind: 'drop-after' });
      const insertsBefore = server.commandCounts.get('insert') ?? 0;
      await reopenOnCeremony(page);
      await logActionInUi(page, 'ran: aws ec2 stop-instances --instance-ids i-0abc');
      await logActionInUi(page, 'ran: aws ec2 start-instances --instance-ids i-0abc');
      const lost = new RegExp(
        `^Sync: ${entries(2)}: The connection to MongoDB at 127\\.0\\.0\\.1:${server.port} was lost \\(.+\\)\\.${NEXT_TRY}$`,
      );
      await expect.poll(() => pillText(page), SYNC_WAIT).toMatch(lost);
      expect(await pillText(page)).not.toMatch(NOT_FOR_PEOPLE);
      expect(unwrap(await syncStatusFromRenderer(page))).toMatchObject({ state: 'offline', pending: 2 });
      expect(server.commandCounts.get('insert') ?? 0).toBeGreaterThan(insertsBefore + 1);
      // drop-after: the server did store what it was sent; only the acknowledgement was lost.
      await expect.poll(() => server.store.count(NS), SYNC_WAIT).toBe(total + 2);
      expect(unwrap(await syncStatusFromRenderer(page)).pending).toBe(2);
      await screenshot(page, 'sync-05-connection-dropped');

      // The network behaves again: the resend meets its own rows, counts them as there, and
      // nothing is stored twice.
      server.faults.clear();
      const recovered = unwrap(await syncNowFromRenderer(page));
      expect(recovered).toMatchObject({ state: 'idle', pending: 0, last_error: null });
      await expect
        .poll(() => pillText(page), SYNC_WAIT)
        .toBe(`Sync: all entries synced (last ${clockTime(recovered.last_success_at!)})`);
      expectCollectionMatchesJournal(server, app, id);
      expect(server.store.count(NS)).toBe(total + 2);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
    });

    it('a refused password is reported in words and never shown; the status bar never carries a credential', async () => {
      const dataDir = tempDir();
      const server = await startServer();
      writeConfig(dataDir, `mongodb://breakglass-sync@127.0.0.1:${server.port}/`);
      const app = await open(dataDir, { env: { BREAKGLASS_MONGODB_PASSWORD: PASSWORD } });
      const { page } = app;
      const id = await ceremonyToMinimalAction(app);
      const total = app.core.journal.entries(id).length;
      await expect
        .poll(() => pillText(page), SYNC_WAIT)
        .toMatch(
          new RegExp(
            `^Sync: ${entries(total)}: MongoDB at 127\\.0\\.0\\.1:${server.port} refused the credentials \\(.+\\)\\.${NEXT_TRY}$`,
          ),
        );
      expect(await syncPill(page).getAttribute('class')).toContain('bad');
      const view = unwrap(await syncNowFromRenderer(page));
      expect(view).toMatchObject({ state: 'error', pending: total });
      expect(JSON.stringify(view)).not.toContain(PASSWORD);
      expect(await page.content()).not.toContain(PASSWORD);
      const stored = app.core.journal.db.prepare('SELECT last_error FROM sync_state WHERE id = 1').get() as {
        last_error: string;
      };
      expect(stored.last_error).toContain('refused the credentials');
      expect(stored.last_error).not.toContain(PASSWORD);
      expect(server.store.count(NS)).toBe(0);
    });

    it('nothing the renderer sends makes main connect anywhere else', async () => {
      const dataDir = tempDir();
      const server = await startServer();
      const evil = await startServer();
      writeConfig(dataDir, server.uri);
      const app = await open(dataDir);
      const { page } = app;
      const id = await ceremonyToMinimalAction(app);
      const total = app.core.journal.entries(id).length;

      for (const [channel, args] of [
        ['sync:now', [{ uri: evil.uri }]],
        ['sync:now', [evil.uri]],
        ['sync:now', [{ uri: evil.uri, database: 'evil' }, { password: 'x' }]],
        ['sync:status', [{ uri: evil.uri }]],
        ['sync:now', [{ target: { uri: 'mongodb://evil.example:27017/' } }]],
      ] as const) {
        const result = (await rawInvoke(page, channel, [...args])) as IpcResult<unknown>;
        expect(result, `${channel} ${JSON.stringify(args)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid-argument' },
        });
      }
      // The typed bridge drops nothing into main either: extra arguments are refused the same way.
      const viaApi = await page.evaluate(
        (u) =>
          (
            window as unknown as { api: { sync: { now: (...a: unknown[]) => Promise<IpcResult<unknown>> } } }
          ).api.sync.now({ uri: u }),
        evil.uri,
      );
      expect(viaApi).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });

      // A proper "sync now" still goes to the configured server, and only there.
      const synced = unwrap(await syncNowFromRenderer(page));
      expect(synced).toMatchObject({ state: 'idle', pending: 0 });
      await expect
        .poll(() => pillText(page), SYNC_WAIT)
        .toMatch(/^Sync: all entries synced \(last \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
      expect(server.store.count(NS)).toBe(total);
      expectCollectionMatchesJournal(server, app, id);
      expect(evil.connectionCount()).toBe(0);
      expect(evil.commandCounts.size).toBe(0);
      expect(evil.store.count(NS)).toBe(0);
      expect(
        await page.evaluate(() =>
          Object.keys((window as unknown as { api: Record<string, unknown> }).api.sync as object).sort(),
        ),
      ).toEqual(['now', 'status']);
      // The browser side never opened a connection of its own.
      expect(app.blocked).toEqual([]);
    });
  },
);
