import { describe, expect, it } from 'vitest';
import { parseAssumeRoleOutput } from '../../../src-shared/ceremony/assume-role-output';
import { CeremonySim, P0_EVIDENCE } from './ceremony-sim';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKENaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const ASSUME_ROLE_OUTPUT = JSON.stringify({
  Credentials: {
    AccessKeyId: 'ASIAEXAMPLEKEY123456',
    SecretAccessKey: SECRET,
    SessionToken: TOKEN,
    Expiration: '2026-05-20T14:00:00+00:00',
  },
  AssumedRoleUser: {
    AssumedRoleId: 'AROAEXAMPLE:taha',
    Arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha',
  },
});

describe('pasted aws sts assume-role output', () => {
  it('keeps the Expiration and the role ARN only', () => {
    const r = parseAssumeRoleOutput(ASSUME_ROLE_OUTPUT);
    expect(r).toEqual({
      ok: true,
      value: {
        role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
        assumed_role_arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha',
        expiration: '2026-05-20T14:00:00.000Z',
      },
    });
    expect(JSON.stringify(r)).not.toMatch(/ASIA|wJalr|FwoG/);
  });

  it('explains what is wrong without quoting the input', () => {
    const broken = ASSUME_ROLE_OUTPUT.slice(0, -5);
    const r = parseAssumeRoleOutput(broken);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/not JSON/);
      expect(r.message).not.toContain(SECRET.slice(0, 10));
    }
    expect(parseAssumeRoleOutput(JSON.stringify({ Credentials: { SecretAccessKey: SECRET } }))).toEqual({
      ok: false,
      message: 'Credentials.Expiration is missing',
    });
  });

  it('never lets a secret from the paste reach a journal entry', () => {
    const sim = new CeremonySim('breakglass-role');
    sim
      .must({
        name: 'select_scenario',
        args: { scenario_id: 'p0-role', evidence: P0_EVIDENCE, reason: 'P0 IRSA lockout needs a role change' },
      })
      .lock('scenario');
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'text', acknowledged: true } });
    sim
      .must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'call', acknowledged: true } })
      .lock('notify');
    sim.must({ name: 'record_role_session', args: { source: 'sts', assume_role_output: ASSUME_ROLE_OUTPUT } });
    const all = JSON.stringify(sim.entries);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('ASIAEXAMPLEKEY123456');
    expect(sim.state().role_session).toMatchObject({
      source: 'sts',
      expiration: '2026-05-20T14:00:00.000Z',
      role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
    });
  });
});
