import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src-shared/ceremony/check-command';
import type { Refusal } from '../../src-shared/result';
import { dispatch, type Handlers } from '../../src-main/ipc/handle';
import { refusalWords } from '../../src-renderer/lib/refusal-words';
import { CeremonySim, SSO_DOWN_EVIDENCE } from '../shared/ceremony/ceremony-sim';

/** Main's real refusal for a command, from the ceremony's own parser and rules. */
const refusalOf = (name: string, args: unknown): Refusal => {
  const r = parseCommand(name, args);
  if (r.ok) {
    const d = new CeremonySim().run(r.value);
    if (d.ok) throw new Error(`${name} was accepted`);
    return d.error;
  }
  return r.error;
};

/** The IPC gate's real refusal for arguments that fail the contract (no handler runs). */
async function ipcRefusal(channel: 'ceremony:reconcile', args: unknown[]): Promise<Refusal> {
  const result = await dispatch(channel, args, () => true, {} as Handlers);
  if (result.ok) throw new Error(`${channel} was accepted`);
  return result.error;
}

describe('refusals in words, with the field they are about', () => {
  it('says the scenario evidence of issue 15 field by field, with the labels on screen', () => {
    const labels = {
      'evidence.idp': 'Identity provider',
      'evidence.region': 'IdP region',
      'evidence.error_text': 'Exact error text',
    };
    const words = refusalWords(
      refusalOf('select_scenario', {
        scenario_id: 'sso-down',
        evidence: { idp: 'okta' },
        reason: 'SSO down for everyone now',
      }),
      labels,
    );
    expect(words.field).toBe('evidence.idp');
    expect(Object.keys(words.fields)).toEqual([
      'evidence.idp',
      'evidence.region',
      'evidence.error_text',
      'evidence.last_good_sso_login_at',
      'evidence.incident_ref',
    ]);
    expect(words.fields['evidence.idp']).toBe('Identity provider: expected aws-identity-center or google-workspace.');
    expect(words.fields['evidence.region']).toBe('IdP region: this is required.');
    expect(words.fields['evidence.error_text']).toBe('Exact error text: expected text.');
    expect(words.sentence).not.toMatch(/Invalid input|received undefined|select_scenario|idp: idp/);
  });

  it('names the field of an IPC argument refusal by its path inside the argument, a list item by the list', async () => {
    const refusal = await ipcRefusal('ceremony:reconcile', [
      'bg-20260520-0a1b2c3d',
      { cloudtrail: ['relative/cloudtrail.json'], attach: false },
    ]);
    expect(refusal).toMatchObject({ code: 'invalid-argument', field: 'cloudtrail.0' });
    expect(refusalWords(refusal, { cloudtrail: 'CloudTrail file' })).toMatchObject({
      field: 'cloudtrail.0',
      sentence: 'CloudTrail file: expected an absolute file path (the full path, starting with / or a drive letter).',
    });
  });

  it('says a secret is refused on the field that holds it, without repeating the secret', () => {
    const secret = refusalWords(refusalOf('add_note', { text: 'root password is hunter22!' }), { text: 'Note' });
    expect(secret).toMatchObject({
      field: 'text',
      sentence: expect.stringMatching(/^Note: this looks like it holds a secret \(password in text\)/),
    });
    expect(secret.sentence).not.toContain('hunter22');
  });

  it('highlights the field a rule names, for rules beyond the argument schema too', () => {
    const sim = new CeremonySim();
    sim.must({
      name: 'select_scenario',
      args: { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: 'SSO is down for everyone, SEV-0 open' },
    });
    const d = sim.run({ name: 'add_note', args: { text: 'see the entry after this one', refers_to_seq: 99 } });
    if (d.ok) throw new Error('accepted');
    expect(refusalWords(d.error, { refers_to_seq: 'Refers to entry' })).toMatchObject({
      field: 'refers_to_seq',
      sentence: expect.stringMatching(/^Refers to entry: there is no seq 99 yet/),
    });
  });

  it('names a field the screen has no label for as main does, else by its path', () => {
    const sim = new CeremonySim();
    const d = sim.run({ name: 'abort', args: { reason: '.' } });
    if (d.ok) throw new Error('accepted');
    expect(d.error.labels).toEqual({ reason: 'abort reason' });
    expect(refusalWords(d.error).sentence).toBe('Abort reason: write at least 5 characters.');
    expect(refusalWords(d.error, { reason: 'Why stop' }).sentence).toBe('Why stop: write at least 5 characters.');
    expect(
      refusalWords({ message: 'x', field: 'ip_address', fields: { ip_address: 'expected an IPv4 or IPv6 address' } })
        .sentence,
    ).toBe('Ip address: expected an IPv4 or IPv6 address.');
  });

  it('takes the field from the refusal, never from its sentence', () => {
    // A sentence that reads like another field's refusal: the structured field decides.
    const refusal: Refusal = {
      code: 'invalid-input',
      message: 'select_scenario: evidence.idp: expected aws-identity-center or google-workspace',
      field: 'reason',
      fields: { reason: 'write at least 10 characters' },
    };
    const words = refusalWords(refusal, { reason: 'One-line reason', 'evidence.idp': 'Identity provider' });
    expect(words).toEqual({
      field: 'reason',
      fields: { reason: 'One-line reason: write at least 10 characters.' },
      sentence: 'One-line reason: write at least 10 characters.',
    });
    // A whole-field refusal (a file that cannot be read) carries its sentence on that field.
    const file: Refusal = {
      code: 'invalid-input',
      message: '/tmp/argocd.json: the CloudTrail file is a named pipe (FIFO)',
      field: 'cloudtrail.1',
    };
    expect(refusalWords(file).fields).toEqual({
      'cloudtrail.1': '/tmp/argocd.json: the CloudTrail file is a named pipe (FIFO).',
    });
  });

  it('leaves a refusal about no field as its sentence', () => {
    expect(
      refusalWords({
        message:
          'Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.',
      }),
    ).toEqual({
      field: null,
      fields: {},
      sentence:
        'Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.',
    });
  });
});
