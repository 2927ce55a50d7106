import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src-main/config/load-config';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { useTempDir } from '../../support/temp-dir';

const EXAMPLE_YAML = path.resolve(__dirname, '../../../assets/example-config.yaml');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const tempDir = useTempDir();

  it('without a file uses the built-in example and says so', () => {
    const dir = tempDir();
    const loaded = loadConfig({ dataDir: dir, env: {} });
    expect(loaded.source).toEqual({
      kind: 'example',
      looked_in: ['config.yaml', 'config.yml', 'config.json'].map((n) => path.join(dir, n)),
    });
    expect(loaded.description).toMatch(
      /^built-in example configuration \(the runbook's tables\): no configuration file at /,
    );
    expect(loaded.config.accounts).toHaveLength(4);
  });

  it('finds config.yaml in the data dir, then $BREAKGLASS_CONFIG, then --config, in rising priority', () => {
    const dir = tempDir();
    copyFileSync(EXAMPLE_YAML, path.join(dir, 'config.yaml'));
    expect(loadConfig({ dataDir: dir, env: {} }).source).toEqual({ kind: 'file', path: path.join(dir, 'config.yaml') });
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ ...EXAMPLE_CONFIG, organisation: 'From JSON' }));
    expect(loadConfig({ dataDir: dir, env: { BREAKGLASS_CONFIG: other } }).config.organisation).toBe('From JSON');
    const loaded = loadConfig({
      dataDir: dir,
      env: { BREAKGLASS_CONFIG: other },
      explicit: path.join(dir, 'config.yaml'),
    });
    expect(loaded.description).toBe(`configuration file ${path.join(dir, 'config.yaml')}`);
  });

  it('refuses a named file that does not exist rather than silently using the example', () => {
    expect(problemsOf(() => loadConfig({ explicit: '/nonexistent/breakglass.yaml', env: {} }))).toEqual([
      'the file does not exist (named by the command line)',
    ]);
    expect(problemsOf(() => loadConfig({ env: { BREAKGLASS_CONFIG: '/nonexistent/x.yaml' } }))).toEqual([
      'the file does not exist (named by $BREAKGLASS_CONFIG)',
    ]);
  });

  it('a malformed YAML file gets the key, the expectation and the line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config.yaml');
    const text = readFileSync(EXAMPLE_YAML, 'utf8')
      .replace('account_id: "039624954211"', 'account_id: 039624954211')
      .replace('region: us-east-1', 'region: US East')
      .replace('    name: Ian\n', '    name: Ian\n    mfa_code: "123456"\n');
    writeFileSync(file, text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(problemsOf(() => loadConfig({ explicit: file, env: {} }))).toEqual([
      `founders[1]: unknown key "mfa_code" (not part of the configuration; it never holds passwords or MFA codes) (line ${lineOf('- id: ian')})`,
      `accounts[1].account_id: expected a 12-digit AWS account id in quotes (YAML drops leading zeros from numbers) (line ${lineOf('account_id: 039624954211')})`,
      `sso.region: expected an AWS region such as us-east-1 (line ${lineOf('region: US East')})`,
    ]);
  });

  it('refuses a MongoDB URI that holds a secret or that the driver cannot read, by the driver parser', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config.yaml');
    const example = readFileSync(EXAMPLE_YAML, 'utf8');
    const withUri = (uri: string) => {
      const text = example.replace('mongodb:\n', `mongodb:\n  uri: "${uri}"\n`);
      writeFileSync(file, text);
      return { line: text.split('\n').findIndex((l) => l.includes('  uri: ')) + 1 };
    };
    const keepOut = 'the configuration file holds no secrets (give the password in $BREAKGLASS_MONGODB_PASSWORD)';
    for (const uri of [
      'mongodb+srv://u:pw@cluster0.example.net',
      // A percent-encoded "/" in the password, and secrets that ride in options.
      'mongodb://u:se%2Fcret@db.example.com/',
      'mongodb://db.example.com/?tls=true&tlsCertificateKeyFilePassword=k3ypass',
      'mongodb://db.example.com/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok',
    ]) {
      const { line } = withUri(uri);
      expect(
        problemsOf(() => loadConfig({ explicit: file, env: {} })),
        uri,
      ).toEqual([`mongodb.uri: the URI contains a password or a secret option; ${keepOut} (line ${line})`]);
    }
    // An unescaped "/" in the password: the driver cannot read it, and the problem does not echo it.
    const { line } = withUri('mongodb://u:se/cret@db.example.com/');
    const problems = problemsOf(() => loadConfig({ explicit: file, env: {} }));
    expect(problems).toEqual([
      `mongodb.uri: the MongoDB driver cannot read this URI: Password contains unescaped characters (line ${line})`,
    ]);
    expect(problems.join('\n')).not.toContain('cret');
    // A user without a password, hosts and ordinary options are fine.
    withUri('mongodb://breakglass@db1.example.com:27017,db2.example.com:27018/?replicaSet=rs0&tls=true');
    expect(loadConfig({ explicit: file, env: {} }).config.mongodb.uri).toBe(
      'mongodb://breakglass@db1.example.com:27017,db2.example.com:27018/?replicaSet=rs0&tls=true',
    );
  });

  it('reports broken YAML and JSON syntax, empty files and wrong shapes precisely', () => {
    const dir = tempDir();
    const yaml = path.join(dir, 'a.yaml');
    writeFileSync(yaml, 'version: 1\nprincipals: [\n');
    expect(problemsOf(() => loadConfig({ explicit: yaml }))[0]).toMatch(/^not valid YAML at line \d+, column \d+: /);
    const dupKey = path.join(dir, 'd.yaml');
    writeFileSync(dupKey, 'version: 1\nversion: 1\n');
    expect(problemsOf(() => loadConfig({ explicit: dupKey }))[0]).toMatch(/^not valid YAML at line 2/);
    const json = path.join(dir, 'b.json');
    writeFileSync(json, '{"version": 1,');
    expect(problemsOf(() => loadConfig({ explicit: json }))[0]).toMatch(/^not valid JSON: /);
    const empty = path.join(dir, 'c.yaml');
    writeFileSync(empty, '\n');
    expect(problemsOf(() => loadConfig({ explicit: empty }))).toEqual(['the file is empty']);
    const list = path.join(dir, 'e.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(problemsOf(() => loadConfig({ explicit: list }))).toEqual([
      'expected a mapping of keys (version, principals, founders, ...) at the top level',
    ]);
    const missing = path.join(dir, 'f.json');
    writeFileSync(missing, JSON.stringify({ version: 1 }));
    expect(problemsOf(() => loadConfig({ explicit: missing }))).toEqual([
      'principals: expected a list of principals',
      'founders: expected a list of founders to notify',
      'compliance_liaison: expected object',
      'accounts: expected the accounts table (a list)',
      'sso: expected object',
    ]);
  });

  it('the error message names the file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.yaml');
    writeFileSync(file, 'version: 2\n');
    expect(() => loadConfig({ explicit: file })).toThrow(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the configuration is not valid:\\n  - version: expected 1`,
      ),
    );
  });

  it('a file with over 100 YAML aliases is a configuration error, not a crash', () => {
    const dir = tempDir();
    const file = path.join(dir, 'aliases.yaml');
    // 101 references to one anchor: the yaml library's guard against alias bombs throws here.
    writeFileSync(file, `a: &x [1]\nb: [${Array.from({ length: 101 }, () => '*x').join(', ')}]\n`);
    const problems = problemsOf(() => loadConfig({ explicit: file }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^not usable YAML: .*alias/i);
  });

  it('refuses a FIFO, a device and an oversized file as --config without waiting or reading them whole', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'config.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(problemsOf(() => loadConfig({ explicit: fifo }))).toEqual([
      "the configuration file is a named pipe (FIFO), not a regular file; save the content to a file and pass that file's path",
    ]);
    expect(problemsOf(() => loadConfig({ explicit: '/dev/zero' }))[0]).toContain(
      'is a character device, not a regular file',
    );
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(problemsOf(() => loadConfig({ explicit: big }))[0]).toMatch(
      /^the configuration file is \d+ bytes, over the 1048576-byte limit/,
    );
  });
});
