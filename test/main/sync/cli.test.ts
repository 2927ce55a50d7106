import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { openJournal } from '../../../src-main/journal/journal';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { seedRootLoginCeremony } from './fixtures/seed-journal';
import { deadPort, NS, useWireServers } from './fixtures/sync-harness';

const tempDir = useTempDir('breakglass-sync-cli-');
const wire = useWireServers();

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    now: () => new Date('2026-11-21T12:00:00.000Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A data dir holding a closed journal with two ceremonies (24 entries). */
function dataDirWithJournal(): string {
  const dir = tempDir();
  const journal = openJournal({ dataDir: dir, clock: steppingClock() });
  seedRootLoginCeremony(journal, 'cer-1');
  seedRootLoginCeremony(journal, 'cer-2');
  journal.close();
  return dir;
}

/** Every file of the data dir and its bytes' hash: "the journal untouched" means this is equal. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('breakglass sync', () => {
  it('pushes everything pending, prints counts, exits 0; a second run finds nothing to do', async () => {
    const server = await wire.start();
    const dir = dataDirWithJournal();
    const first = await cli(['sync', '--data-dir', dir, '--uri', server.uri]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /synced to 127\.0\.0\.1:\d+ breakglass\.agent_audit_log: 24 new, 0 already there, 0 pending \(write concern majority\)/,
    );
    expect(first.out).toContain('last success: 2026-11-21T12:00:00.000Z');
    expect(server.store.count(NS)).toBe(24);
    const second = await cli(['sync', '--data-dir', dir, '--uri', server.uri, '--db', 'breakglass']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('0 new, 0 already there, 0 pending');
  });

  it('honours --db', async () => {
    const server = await wire.start();
    const dir = dataDirWithJournal();
    const r = await cli(['sync', '--data-dir', dir, '--uri', server.uri, '--db', 'audit']);
    expect(r.code).toBe(0);
    expect(server.store.count('audit.agent_audit_log')).toBe(24);
    expect(server.store.count(NS)).toBe(0);
  });

  it('exits 1 with a clear message when the server is unreachable, and leaves the journal as it was', async () => {
    const port = await deadPort();
    const dir = dataDirWithJournal();
    const before = snapshot(dir);
    const r = await cli(
      ['sync', '--data-dir', dir, '--uri', `mongodb://auditor@127.0.0.1:${port}/`, '--timeout-ms', '300'],
      { BREAKGLASS_MONGODB_PASSWORD: 'hunter22' },
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`breakglass sync: MongoDB at 127\\.0\\.0\\.1:${port} is not reachable`));
    expect(r.out).toContain('24 pending before; 0 new, 0 already there, 24 pending. Nothing is lost');
    expect(r.err + r.out).not.toContain('hunter22');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--timeout-ms bounds a reply that trickles in forever (slowloris): exit 1, nothing marked as synced', async () => {
    const server = await wire.start();
    server.faults.always({ kind: 'trickle', delayMs: 20 });
    const dir = dataDirWithJournal();
    const r = await cli(['sync', '--data-dir', dir, '--uri', server.uri, '--timeout-ms', '500']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^breakglass sync: MongoDB at 127\.0\.0\.1:\d+ did not answer the insert within 500 ms/);
    expect(r.out).toContain('24 pending before; 0 new, 0 already there, 24 pending. Nothing is lost');
  });

  it('exits 1 when the server refuses, naming the refusal', async () => {
    const server = await wire.start();
    server.faults.always({ kind: 'auth-failure' });
    const dir = dataDirWithJournal();
    const r = await cli(['sync', '--data-dir', dir, '--uri', server.uri]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refused the credentials \(AuthenticationFailed\)/);
    expect(server.store.count(NS)).toBe(0);
  });

  it('exits 1 with a clear error when the server answers garbage, and leaves the journal as it was', async () => {
    const dir = dataDirWithJournal();
    const before = snapshot(dir);
    // Garbage from the first byte (the handshake), and garbage only in reply to the insert.
    for (const commands of ['all', ['insert']] as const) {
      const server = await wire.start();
      server.faults.always({ kind: 'garbage' }, commands);
      const r = await cli(['sync', '--data-dir', dir, '--uri', server.uri, '--timeout-ms', '500']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /breakglass sync: The server at 127\.0\.0\.1:\d+ answered with something that is not a MongoDB reply \(.+\)\. Is the URI pointing at MongoDB\?/,
      );
      expect(r.out).toContain('24 pending');
      expect(server.store.count(NS)).toBe(0);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a URI that does not parse with exit 2, without a password in the message and without touching the journal', async () => {
    const dir = dataDirWithJournal();
    const before = snapshot(dir);
    for (const uri of ['postgres://db.example/x', 'mongodb://auditor:s3cret@db.example:notaport/', 'mongodb://']) {
      const r = await cli(['sync', '--data-dir', dir, '--uri', uri]);
      expect(r.code, uri).toBe(2);
      expect(r.err, uri).toMatch(/The MongoDB URI does not parse/);
      expect(r.err, uri).not.toContain('s3cret');
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('does not create a journal where there is none, and says sync is not configured without a URI', async () => {
    const empty = tempDir();
    const r = await cli(['sync', '--data-dir', empty, '--uri', 'mongodb://127.0.0.1:1/']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no journal at .*journal\.sqlite3/);
    expect(existsSync(path.join(empty, 'journal.sqlite3'))).toBe(false);
    const dir = dataDirWithJournal();
    const unconfigured = await cli(['sync', '--data-dir', dir]);
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.err).toMatch(/sync not configured: give --uri/);
    const badTimeout = await cli([
      'sync',
      '--data-dir',
      dir,
      '--uri',
      'mongodb://127.0.0.1:1/',
      '--timeout-ms',
      'soon',
    ]);
    expect(badTimeout.code).toBe(2);
  });
});

describe('breakglass audit-diff', () => {
  it('is clean after a sync, then lists rows missing, extra and different', async () => {
    const server = await wire.start();
    const dir = dataDirWithJournal();
    expect((await cli(['sync', '--data-dir', dir, '--uri', server.uri])).code).toBe(0);
    const clean = await cli(['audit-diff', '--data-dir', dir, '--uri', server.uri]);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('24 journal entries in 2 ceremonies compared with');
    expect(clean.out).toContain('24 match');
    expect(clean.out).toContain('clean: every journal entry is in the collection exactly once');

    // A reviewer's bad day: one row deleted, one edited, one forged.
    server.store.remove(NS, 'cer-1:3');
    const login = server.store.get(NS, 'cer-2:7')!;
    server.store.put(NS, { ...login, resource_id: '778477254880', metadata: { ...login.metadata, reason: 'routine' } });
    server.store.insert(NS, { _id: 'cer-1:99', action: 'break_glass_note' });
    server.store.insert(NS, { _id: 'someone-else:1', action: 'break_glass_note' });

    const dirty = await cli(['audit-diff', '--data-dir', dir, '--uri', server.uri]);
    expect(dirty.code).toBe(1);
    expect(dirty.out).toMatch(/missing \(1\):\n {2}cer-1:3 {2}founder_notified/);
    expect(dirty.out).toMatch(/extra \(1\): in the collection, not in the journal:\n {2}cer-1:99 {2}break_glass_note/);
    expect(dirty.out).toMatch(/different \(1\):\n {2}cer-2:7 {2}differs in resource_id, metadata\.reason/);
    expect(dirty.out).toContain('NOT clean');

    const json = await cli(['audit-diff', '--data-dir', dir, '--uri', server.uri, '--json', '--ceremony', 'cer-1']);
    const report = JSON.parse(json.out) as {
      clean: boolean;
      checked: number;
      missing: unknown[];
      different: unknown[];
      extra: unknown[];
    };
    expect(report).toMatchObject({
      clean: false,
      checked: 12,
      missing: [{ id: 'cer-1:3', kind: 'founder_notified', pending: false }],
      different: [],
      extra: [{ id: 'cer-1:99' }],
    });
  });

  it('marks entries not yet synced as pending, and refuses an unknown ceremony', async () => {
    const server = await wire.start();
    const dir = dataDirWithJournal();
    const r = await cli(['audit-diff', '--data-dir', dir, '--uri', server.uri]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('missing (24, 24 not yet synced: run `breakglass sync`)');
    const unknown = await cli(['audit-diff', '--data-dir', dir, '--uri', server.uri, '--ceremony', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no ceremony nope in this journal');
  });

  it('exits non-zero with a clear message when the server cannot be reached', async () => {
    const port = await deadPort();
    const dir = dataDirWithJournal();
    const r = await cli([
      'audit-diff',
      '--data-dir',
      dir,
      '--uri',
      `mongodb://127.0.0.1:${port}/`,
      '--timeout-ms',
      '300',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/breakglass audit-diff: MongoDB at 127\.0\.0\.1:\d+ is not reachable/);
  });
});
