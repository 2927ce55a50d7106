import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src-shared/ceremony/check-command';
import { refusalWords } from '../../src-renderer/lib/refusal-words';
import { CeremonySim } from '../shared/ceremony/ceremony-sim';

/** Main's real refusal text for a command, from the ceremony's own parser and order rules. */
const refusalOf = (name: string, args: unknown) => {
  const r = parseCommand(name, args);
  if (r.ok) {
    const sim = new CeremonySim();
    const d = sim.run(r.command);
    if (d.ok) throw new Error(`${name} was accepted`);
    return d.refusal.message;
  }
  return r.refusal.message;
};

describe('refusals in words, with the field they are about', () => {
  it('turns the validator dumps of issue 15 into a field and a sentence', () => {
    const labels = { 'evidence.idp': 'Identity provider', 'evidence.region': 'IdP region' };
    expect(refusalWords('evidence for "SSO is fully down during a SEV-0": idp: idp: expected aws-identity-center or google-workspace; region: Invalid input: expected string, received undefined', labels)).toEqual({
      field: 'evidence.idp',
      fields: { 'evidence.idp': 'Identity provider: expected aws-identity-center or google-workspace.', 'evidence.region': 'IdP region: this is required.' },
      sentence: 'Identity provider: expected aws-identity-center or google-workspace. IdP region: this is required.',
    });
    expect(refusalWords('ceremony:reconcile: argument 1.cloudtrail.0 expected an absolute file path', { cloudtrail: 'CloudTrail file' })).toMatchObject({
      field: 'cloudtrail.0',
      sentence: 'CloudTrail file: give the full path of the file (starting with / or a drive letter).',
    });
  });

  it('reads what the ceremony parser really says (field named, no zod jargon)', () => {
    const missing = refusalWords(refusalOf('select_scenario', { scenario_id: 'sso-down', evidence: { idp: 'okta' }, reason: 'SSO down for everyone now' }), { 'evidence.error_text': 'Exact error text' });
    expect(Object.keys(missing.fields)).toEqual(['evidence.idp', 'evidence.region', 'evidence.error_text', 'evidence.last_good_sso_login_at', 'evidence.incident_ref']);
    expect(missing.fields['evidence.error_text']).toBe('Exact error text: expected text.');
    expect(missing.sentence).not.toMatch(/Invalid input|received undefined|select_scenario|idp: idp/);
    const secret = refusalWords(refusalOf('add_note', { text: 'root password is hunter22!' }), { text: 'Note' });
    expect(secret).toMatchObject({ field: 'text', sentence: expect.stringMatching(/^Note looks like it holds a secret \(password in text\)/) });
    expect(secret.sentence).not.toContain('hunter22');
  });

  it('leaves a sentence that is already a sentence alone', () => {
    expect(refusalWords('Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.')).toMatchObject({
      field: null,
      sentence: 'Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.',
    });
  });
});
