import { builtInConfig } from '../../src-shared/config/example-config';
// "The app never writes secrets": scans the schema, real drills' databases and exports, and a
// ceremony fed a pasted `aws sts assume-role` output, for anything shaped like a password, an MFA
// code, an AWS access key, a secret key or a session token. The rules are in
// test/build/secret-patterns.ts; the second describe shows that they do find planted secrets.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCeremony } from '../../src-main/use-cases/export-ceremony';
import { createCeremonyService } from '../../src-main/ceremony/ceremony-service';
import { VIRTUAL_KEY_STATE_FILE } from '../../src-main/use-cases/run-drill';
import { runCli } from '../../src-main/cli/run-cli';
import { DATABASE_FILE, openDatabase } from '../../src-main/db/open-database';
import { saveEnrolledKey } from '../../src-main/hardware-key/enrolment/enrolment-store';
import { openJournal } from '../../src-main/journal/journal';
import { EXAMPLE_CONFIG } from '../../src-shared/config/example-config';
import { configSchema } from '../../src-shared/config/schema';
import { scanBytes, scanJson, scanText, scanValue, secretNameRule, type SecretFinding } from '../build/secret-patterns';
import { createSoftwareKey } from '../support/software-key';
import { useTempDir } from '../support/temp-dir';
import { valueOf } from '../support/unwrap-handlers';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE_CONFIG_FILE = path.join(ROOT, 'assets/example-config.yaml');

/** Column names of every table (the schema), then every value of every row. */
function scanDatabase(file: string): { schema: SecretFinding[]; rows: SecretFinding[]; tables: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as Array<{ name: string }>
    ).map((t) => t.name);
    const schema: SecretFinding[] = [];
    const rows: SecretFinding[] = [];
    for (const table of tables) {
      const tableRule = secretNameRule(table);
      if (tableRule) schema.push({ where: table, rule: tableRule, excerpt: '' });
      for (const { name } of db.pragma(`table_info("${table}")`) as Array<{ name: string }>) {
        const rule = secretNameRule(name);
        if (rule) schema.push({ where: `${table}.${name}`, rule, excerpt: '' });
      }
      for (const [i, row] of (
        db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>
      ).entries()) {
        for (const [column, value] of Object.entries(row)) {
          const where = `${table}[${i}].${column}`;
          if (typeof value === 'number') rows.push(...scanValue(String(value), column, where));
          if (typeof value !== 'string') continue;
          const json = /^\s*[[{]/.test(value) ? tryParse(value) : undefined;
          rows.push(...(json === undefined ? scanValue(value, column, where) : scanJson(json, where, column)));
        }
      }
    }
    return { schema, rows, tables };
  } finally {
    db.close();
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The database files (rows and raw bytes, WAL included) and every exported file. */
function scanOutputs(dataDir: string, exportDir: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const dbFile = path.join(dataDir, DATABASE_FILE);
  const { schema, rows } = scanDatabase(dbFile);
  findings.push(...schema, ...rows);
  for (const f of readdirSync(dataDir).filter((n) => n.startsWith(DATABASE_FILE)))
    findings.push(...scanBytes(readFileSync(path.join(dataDir, f)), f));
  for (const f of readdirSync(exportDir)) {
    const text = readFileSync(path.join(exportDir, f), 'utf8');
    findings.push(...(f.endsWith('.json') ? scanJson(JSON.parse(text), f) : scanText(text, f)));
    findings.push(...scanBytes(Buffer.from(text), `${f} (raw)`));
  }
  return findings;
}

async function drill(
  dataDir: string,
  exportDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      exportDir,
      '--config',
      EXAMPLE_CONFIG_FILE,
      '--start-time',
      '2026-05-20T13:00:00Z',
      ...args,
    ],
    { out: (l) => out.push(l), err: (l) => err.push(l), env, now: () => new Date('2026-05-20T13:00:00Z') },
  );
  // Progress goes to stderr; stdout is the bundle path alone.
  expect(
    err.filter((l) => !l.startsWith('DRILL ')),
    'drill stderr',
  ).toEqual([]);
  expect(code).toBe(0);
  expect(out).toHaveLength(1);
  // Everything it printed, progress first, the bundle path last.
  return [...err, ...out];
}

/** Files a drill leaves in its data directory, with the virtual key's own state set aside. */
function dataDirFiles(dataDir: string): string[] {
  return readdirSync(dataDir).filter((f) => f !== VIRTUAL_KEY_STATE_FILE);
}

// Realistic action lines, including the runbook's own placeholders (AKIA...), which are not keys.
const ACTIONS = [
  'aws ec2 describe-instances --filters Name=tag:fleet,Values=runaway',
  'aws ec2 stop-instances --instance-ids i-0abc1234def567890',
  'aws iam get-access-key-last-used --access-key-id AKIA...',
];

describe('the app never writes secrets', () => {
  const tempDir = useTempDir('breakglass-secrets-');

  it('no table or column, after every migration, is named like a secret', () => {
    const dir = tempDir();
    openDatabase(path.join(dir, DATABASE_FILE)).close();
    const { schema, tables } = scanDatabase(path.join(dir, DATABASE_FILE));
    expect(tables).toEqual(expect.arrayContaining(['entries', 'heads', 'checkpoints', 'enrolled_keys', 'sync_state']));
    expect(schema).toEqual([]);
  });

  it.each([
    ['root-login (sso-down)', ['--scenario', 'sso-down']],
    ['breakglass-role (p0-role)', ['--scenario', 'p0-role']],
  ])(
    'a %s drill: its database, bundle and session log hold nothing that looks like a secret',
    async (_label, scenario) => {
      const dataDir = tempDir();
      const exportDir = tempDir();
      const out = await drill(dataDir, exportDir, [...scenario, ...ACTIONS.flatMap((a) => ['--action', a])]);
      expect(out.at(-1)).toMatch(/\.bundle\.json$/);
      expect(readdirSync(exportDir).some((f) => f.endsWith('.md'))).toBe(true);
      const entries = (
        new Database(path.join(dataDir, DATABASE_FILE), { readonly: true })
          .prepare('SELECT kind FROM entries')
          .all() as Array<{ kind: string }>
      ).map((e) => e.kind);
      expect(entries).toEqual(
        expect.arrayContaining([
          'ceremony_started',
          'scenario_selected',
          'founder_notified',
          'step_locked',
          'action_logged',
          'signed_out',
        ]),
      );
      // Anything new a drill writes to its data directory must be looked at here.
      expect(dataDirFiles(dataDir).filter((f) => !f.startsWith(DATABASE_FILE))).toEqual([]);
      expect(scanOutputs(dataDir, exportDir)).toEqual([]);
    },
  );

  it('the virtual key’s drill state is the one file with a private key: marked DRILL, in the data directory only, never exported', async () => {
    const dataDir = tempDir();
    const exportDir = tempDir();
    await drill(dataDir, exportDir, []);
    const state = readFileSync(path.join(dataDir, VIRTUAL_KEY_STATE_FILE), 'utf8');
    expect(state).toMatch(/DRILL KEY - NOT HARDWARE/);
    // It is set aside on purpose (docs/security.md), not because the scan cannot see it.
    expect(scanJson(JSON.parse(state), VIRTUAL_KEY_STATE_FILE).map((f) => f.rule)).toContain('private key');
    expect(readdirSync(exportDir).some((f) => f.includes('virtual-key'))).toBe(false);
  });

  it('a drill with a PIN-protected key: the PIN is typed for every touch and written nowhere (journal, exports, key state, output)', async () => {
    const dataDir = tempDir();
    const exportDir = tempDir();
    // Distinctive, so any copy of it (UTF-8, UTF-16, hex, base64) is found by a plain search.
    const pin = 'Plover-4821-Quartz';
    const out = await drill(dataDir, exportDir, ['--practise-pin'], { BREAKGLASS_DRILL_PIN: pin });
    expect(out.filter((l) => /asks for its PIN/.test(l)).length).toBeGreaterThanOrEqual(2);
    // The UV flag in the signed checkpoints shows the PIN really was checked by the key.
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    const flags = (
      db.prepare('SELECT authenticator_data FROM checkpoints').all() as Array<{ authenticator_data: string }>
    ).map((c) => Buffer.from(c.authenticator_data, 'base64')[32]!);
    db.close();
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => (f & 0x05) === 0x05)).toBe(true);
    expect(scanOutputs(dataDir, exportDir)).toEqual([]);
    const files = [
      ...readdirSync(dataDir).map((f) => path.join(dataDir, f)),
      ...readdirSync(exportDir).map((f) => path.join(exportDir, f)),
    ];
    const forms = [
      Buffer.from(pin, 'utf8'),
      Buffer.from(pin, 'utf16le'),
      Buffer.from(Buffer.from(pin).toString('hex')),
      Buffer.from(Buffer.from(pin).toString('base64').slice(0, 20)),
    ];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const form of forms)
        expect(bytes.includes(form), `${path.basename(file)} holds the PIN (${form.toString('latin1')})`).toBe(false);
    }
    expect(out.join('\n')).not.toContain(pin);
  });

  it('pasted `aws sts assume-role` output: the role ARN and expiry are kept, the credentials are not written anywhere', async () => {
    const dataDir = tempDir();
    const exportDir = tempDir();
    const credentials = {
      AccessKeyId: 'ASIAQWERTYUIOPASDFGH',
      SecretAccessKey: 'q8Zk3Vb/7Yt2Lw9Rn5Hc+1Xs4Jd6Mf0Pg2Ta8Ue3',
      SessionToken: `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD${'A1b2C3d4E5f6'.repeat(20)}`,
      Expiration: '2026-05-20T14:05:00Z',
    };
    const pasted = JSON.stringify(
      {
        Credentials: credentials,
        AssumedRoleUser: {
          AssumedRoleId: 'AROAEXAMPLEID:alice',
          Arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/alice',
        },
      },
      null,
      2,
    );
    expect(scanJson(JSON.parse(pasted), 'pasted').length).toBeGreaterThanOrEqual(4);

    let t = Date.parse('2026-05-20T13:00:00Z');
    const clock = () => new Date(t);
    const journal = openJournal({ dataDir, clock });
    const key = createSoftwareKey();
    expect(saveEnrolledKey(journal.db, key.enrolled).ok).toBe(true);
    const service = createCeremonyService({
      journal,
      config: configSchema.parse(EXAMPLE_CONFIG),
      configSource: 'test',
      signer: {
        sign: async ({ clientDataHash }) => ({
          credential_id: key.enrolled.credential_id,
          ...key.sign(clientDataHash),
        }),
      },
      enrolledKeys: () => [key.enrolled],
      ssoProbe: async () => {
        throw new Error('a breakglass-role ceremony does not probe SSO');
      },
      clock,
      appVersion: 'test',
    });
    const ok = async <T>(
      r: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
    ): Promise<T> => {
      const v = await r;
      if (!v.ok) throw new Error(v.error.message);
      return v.value;
    };
    const id = (await ok(service.start({ type: 'breakglass-role', drill: true }))).ceremony_id;
    t += 60_000;
    await ok(
      service.selectScenario(id, {
        scenario_id: 'p0-role',
        evidence: {
          incident_ref: 'INC-2026-05-20-001',
          blocker: 'standard role lacks iam:UpdateAssumeRolePolicy on the IRSA roles',
          approver: 'Alice Nguyen, CTO delegate',
          cleanup_owner: 'Bob Okafor, platform team',
        },
        reason: 'P0 IRSA lockout: standard platform role cannot update the trust policy',
      }),
    );
    await ok(service.lockStep(id, { step: 'scenario' }));
    const before = await ok(service.getState(id));
    for (const f of before.founders)
      await ok(service.notifyFounder(id, { contact_id: f.contact_id, channel: 'call', acknowledged: true }));
    await ok(service.lockStep(id, { step: 'notify' }));
    t += 60_000;
    const s = await ok(service.recordRoleSession(id, { source: 'sts', assume_role_output: pasted }));
    expect(s.role_session).toMatchObject({
      role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
      expiration: '2026-05-20T14:05:00.000Z',
    });
    await ok(service.lockStep(id, { step: 'role_session' }));
    await ok(
      service.logAction(id, {
        text: 'aws iam update-assume-role-policy --role-name irsa-orders --policy-document file://trust.json',
      }),
    );
    valueOf(
      exportCeremony({
        journal,
        ceremonyId: id,
        outDir: exportDir,
        keys: [key.enrolled],
        now: clock(),
        config: builtInConfig(),
      }),
    );
    journal.close();

    expect(scanOutputs(dataDir, exportDir)).toEqual([]);
    const everything = [
      ...readdirSync(dataDir).map((f) => path.join(dataDir, f)),
      ...readdirSync(exportDir).map((f) => path.join(exportDir, f)),
    ]
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    for (const [name, secret] of Object.entries(credentials).filter(([k]) => k !== 'Expiration')) {
      expect(everything.includes(secret), `${name} was written`).toBe(false);
      expect(everything.includes(secret.slice(0, 24)), `part of ${name} was written`).toBe(false);
    }
  });
});

describe('the secrets scan finds what it is looking for', () => {
  const tempDir = useTempDir('breakglass-secrets-control-');

  it('a column named like a password, an MFA code, an access key or a session token', () => {
    const file = path.join(tempDir(), DATABASE_FILE);
    const db = openDatabase(file);
    db.exec(
      'CREATE TABLE operator_login (id INTEGER PRIMARY KEY, password TEXT, mfa_code TEXT, AccessKeyId TEXT, session_token TEXT, credential_location TEXT)',
    );
    db.close();
    expect(scanDatabase(file).schema.map((f) => f.where)).toEqual([
      'operator_login.password',
      'operator_login.mfa_code',
      'operator_login.AccessKeyId',
      'operator_login.session_token',
    ]);
  });

  it('an access key written into a journal note: in the rows, in the raw database file and in the exported bundle', async () => {
    const dataDir = tempDir();
    const exportDir = tempDir();
    await drill(dataDir, exportDir, []);
    const journal = openJournal({ dataDir });
    const id = journal.ceremonies()[0]!.ceremony_id;
    journal.append(id, 'note', { text: 'used key AKIAIOSFODNN7EXAMPLE and MFA code 493817 to get in' });
    valueOf(
      exportCeremony({
        journal,
        ceremonyId: id,
        outDir: exportDir,
        keys: [],
        now: new Date('2026-05-20T14:00:00Z'),
        config: builtInConfig(),
      }),
    );
    journal.close();
    const findings = scanOutputs(dataDir, exportDir);
    const found = (where: (w: string) => boolean, rule: string) =>
      findings.some((f) => where(f.where) && f.rule === rule);
    expect(
      found((w) => w.startsWith('entries['), 'AWS access key id'),
      'in the entries table',
    ).toBe(true);
    expect(
      found((w) => w.startsWith('entries['), 'MFA code in text'),
      'in the entries table',
    ).toBe(true);
    expect(
      found((w) => w === DATABASE_FILE || w === `${DATABASE_FILE}-wal`, 'AWS access key id'),
      'in the raw database',
    ).toBe(true);
    expect(
      found((w) => w.startsWith(`${id}.bundle.json.`), 'AWS access key id'),
      'in the bundle',
    ).toBe(true);
    // The report names where and what, never the secret itself.
    expect(JSON.stringify(findings)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(findings)).not.toContain('493817');
  });

  it.each([
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE here', ''],
    ['AWS access key id', 'ASIAQWERTYUIOPASDFGH', 'note'],
    ['AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ''],
    ['AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'SecretAccessKey'],
    ['AWS session token', 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD', ''],
    ['MFA code', '493817', 'mfa_code'],
    ['MFA code', '493817', 'otp'],
    ['MFA code in text', 'TOTP was 493817 at sign-in', ''],
    ['password in text', 'root password: hunter2!!', ''],
    ['URL with a password', 'mongodb+srv://breakglass:s3cr3t@cluster0.example.mongodb.net/breakglass', ''],
    ['private key', '-----BEGIN EC PRIVATE KEY-----', ''],
  ])('finds %s in %j (field %j)', (rule, value, name) => {
    expect(scanValue(value, name, 'x').map((f) => f.rule)).toContain(rule);
  });

  it.each([
    ["Taha's password manager + offline backup", 'credential_location'],
    ['aws iam get-access-key-last-used --access-key-id AKIA...', 'text'],
    ['amber falcon river quartz 12', 'witness_code'],
    ['not-touched', 'code'],
    ['8b3f0c6d1e2a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c', 'head_hash'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'client_data_hash'],
    ['039624954211', 'account_id'],
    ['mongodb://localhost:27017/breakglass', 'uri'],
    ['2026-05-20T13:00:00.000Z', 'signed_in_at'],
    ['INC-2026-05-20-001', 'incident_ref'],
  ])('leaves %j (field %j) alone', (value, name) => {
    expect(scanValue(value, name, 'x')).toEqual([]);
  });

  it.each([
    ['SecretAccessKey', true],
    ['sessionToken', true],
    ['private_key_pem', true],
    ['api-key', true],
    ['credential_id', false],
    ['credential_location', false],
    ['cose_public_key', false],
    ['client_data_hash', false],
    ['witness_code', false],
    ['signature', false],
  ])('the name %s is secret-looking: %s', (name, secret) => {
    expect(secretNameRule(name) !== null).toBe(secret);
  });
});
