import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src-main/sync/backoff';
import { redactSecrets, uriHosts, uriUsername } from '../../../src-main/sync/redact-secrets';

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
    expect(redactSecrets('failed for mongodb://auditor:s3cr%40t@db.example:27017/x')).toBe('failed for mongodb://auditor:***@db.example:27017/x');
    expect(redactSecrets('auth hunter2 failed', ['hunter2'])).toBe('auth *** failed');
    expect(redactSecrets('p%40ss and p@ss', ['p@ss'])).toBe('*** and ***');
    expect(uriUsername('mongodb+srv://aud%40it@cluster0.example/db')).toBe('aud@it');
    expect(uriUsername('mongodb://db.example/')).toBeUndefined();
    expect(uriHosts('mongodb://u:p@a:1,b:2/db?x=1')).toBe('a:1,b:2');
  });
});
