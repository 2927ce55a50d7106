import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src-shared/ceremony/check-command';

/** The journal is append-only: a secret typed into it could never be removed, so it is refused at input. */
describe('secret-looking input is refused before it reaches the journal', () => {
  it.each([
    [
      'log_action',
      { text: 'ran: aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      /log_action: text: this looks like it holds a secret \(AWS secret access key\)/,
    ],
    ['add_note', { text: 'root password is hunter22!' }, /add_note: text: .*password in text/],
    ['add_note', { text: 'MFA code 492817 worked on the second try' }, /MFA code in text/],
    ['log_action', { text: 'curl https://admin:s3cret@db.internal/health' }, /URL with a password/],
    [
      'record_aftercare_evidence',
      { item_id: 'rotate', text: '-----BEGIN EC PRIVATE KEY----- pasted by mistake' },
      /private key/,
    ],
  ])('%s %j', (name, args, message) => {
    const result = parseCommand(name, args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toMatch(message);
      expect(result.error.message).not.toMatch(/wJalrXUtnFEMI|hunter22|492817|s3cret/);
      // The field it is about, by path, for the form to highlight.
      expect(result.error.field).toBe('text');
    }
  });

  it('accepts an access key id: it names the key (the cleanup runbook deletes keys by id), it is not the secret', () => {
    for (const text of [
      'ran: aws iam delete-access-key --user-name tmp-breakglass --access-key-id AKIAIOSFODNN7EXAMPLE',
      'deactivated ASIAQWERTYUIOPASDFGHJ',
    ]) {
      expect(parseCommand('log_action', { text }).ok, text).toBe(true);
    }
    // The same id next to its secret is still refused, for the secret.
    const both = parseCommand('log_action', {
      text: 'AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(both.ok).toBe(false);
  });

  it('lets ordinary runbook text through', () => {
    for (const text of [
      'ran: aws ec2 terminate-instances --instance-ids i-0abc',
      'rotated the root password (new one is in the vault)',
      'incident INC-2026-05-20-001',
    ]) {
      expect(parseCommand('log_action', { text }).ok, text).toBe(true);
    }
  });
});
