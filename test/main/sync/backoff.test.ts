import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src-main/sync/backoff';
import { parseMongoUri, redactSecrets } from '../../../src-main/sync/redact-secrets';
import { openAuditLog } from '../../../src-main/sync/audit-log-target';

describe('backoff', () => {
  const policy = { baseMs: 1000, capMs: 30_000 };
  it('doubles per failure, jittered between half and the whole step, and never passes the cap', () => {
    expect(backoffDelay(policy, 0, () => 0)).toBe(500);
    expect(backoffDelay(policy, 0, () => 0.999999)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 0)).toBe(4000);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(6000);
    for (const attempt of [5, 6, 50, 5000]) {
      expect(backoffDelay(policy, attempt, () => 0.999999)).toBeLessThanOrEqual(30_000);
      expect(backoffDelay(policy, attempt, () => 0)).toBe(15_000);
    }
  });
});

describe('secrets in messages', () => {
  it('removes URI passwords and given secrets, keeps hosts and users', () => {
    expect(redactSecrets('failed for mongodb://auditor:s3cr%40t@db.example:27017/x')).toBe(
      'failed for mongodb://auditor:***@db.example:27017/x',
    );
    expect(redactSecrets('auth hunter2 failed', ['hunter2'])).toBe('auth *** failed');
    expect(redactSecrets('p%40ss and p@ss', ['p@ss'])).toBe('*** and ***');
    expect(parseMongoUri('mongodb+srv://aud%40it@cluster0.example/db')).toEqual({
      hosts: 'cluster0.example',
      username: 'aud@it',
    });
    expect(parseMongoUri('mongodb://db.example/')).toEqual({ hosts: 'db.example', username: undefined });
    expect(parseMongoUri('mongodb://u:p@a:1,b:2/db?x=1').hosts).toBe('a:1,b:2');
  });

  it('removes what the driver counts as secret, in URIs that parse and URIs that do not', () => {
    const cases: Array<[string, string]> = [
      // A password with an unescaped "/" does not parse; the password is still removed.
      ['cannot connect to mongodb://auditor:pa/ss@db.example/x', 'pa/ss'],
      [
        'mongodb://u:p4ss@h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok-12345',
        'tok-12345',
      ],
      ['mongodb://h/?tls=true&tlsCertificateKeyFilePassword=k3ypass', 'k3ypass'],
      ['via mongodb://h/?proxyHost=p&proxyPassword=pr0xy "x"', 'pr0xy'],
    ];
    for (const [text, secret] of cases) {
      const out = redactSecrets(text);
      expect(out, text).not.toContain(secret);
      expect(out, text).toContain('***');
    }
    expect(redactSecrets('via mongodb://h/?proxyHost=p&proxyPassword=pr0xy "x"')).toMatch(/ "x"$/);
  });

  it('a URI that does not parse is refused as config-invalid, naming why, with no password', () => {
    for (const uri of [
      'postgres://auditor:s3cret@db.example/x',
      'mongodb://auditor:s3/cret@db.example/x',
      'mongodb://',
    ]) {
      const opened = openAuditLog({ uri, database: 'breakglass', password: 's3cret' });
      expect(opened, uri).toMatchObject({ ok: false, error: { code: 'config-invalid' } });
      const { message } = (opened as { error: { message: string } }).error;
      expect(message, uri).toMatch(/^The MongoDB URI does not parse: /);
      expect(message, uri).not.toContain('s3');
    }
  });

  it('a database name or a password without a user is refused as config-invalid, not thrown', () => {
    expect(openAuditLog({ uri: 'mongodb://db.example/', database: 'a.b' })).toMatchObject({
      ok: false,
      error: { code: 'config-invalid', message: '"a.b" is not a valid MongoDB database name.' },
    });
    expect(openAuditLog({ uri: 'mongodb://db.example/', database: 'breakglass', password: 'pw' })).toMatchObject({
      ok: false,
      error: { code: 'config-invalid', message: expect.stringMatching(/names no user/) },
    });
  });
});
