import { describe, expect, it } from 'vitest';
import { NOT_AUTHORISED, SCENARIOS } from '../../../src-shared/ceremony/scenarios';
import { CeremonySim, REASON, SSO_DOWN_EVIDENCE } from './ceremony-sim';

function tryScenario(evidence: Record<string, string>, reason = REASON, scenario_id = 'sso-down') {
  const sim = new CeremonySim();
  const d = sim.run({ name: 'select_scenario', args: { scenario_id, evidence, reason } });
  expect(sim.entries).toHaveLength(d.ok ? 2 : 1);
  return d.ok ? 'accepted' : d.error.message;
}

/** The fields a refusal names for the form, each with its problem in words. */
function refusedFields(evidence: Record<string, string>, reason = REASON) {
  const d = new CeremonySim().run({ name: 'select_scenario', args: { scenario_id: 'sso-down', evidence, reason } });
  return d.ok ? {} : (d.error.fields ?? {});
}

describe('scenario gate', () => {
  it('lists the three authorised root scenarios, the role scenario and the NOT-authorised list', () => {
    expect(SCENARIOS.filter((s) => s.ceremony_type === 'root-login').map((s) => s.id)).toEqual([
      'sso-down',
      'mfa-lost',
      'console-outage',
    ]);
    expect(NOT_AUTHORISED.join(' ')).toMatch(/MFA prompt is slow.*forgot my YubiKey.*permission-set/s);
  });

  it('accepts complete, plausible evidence', () => {
    expect(tryScenario(SSO_DOWN_EVIDENCE)).toBe('accepted');
  });

  it('refuses a free-text reason alone, and each evidence field that says nothing', () => {
    expect(tryScenario({}, '.')).toMatch(/Identity provider: expected aws-identity-center/);
    // Every empty field named by its path, for the form: no reader takes the sentence apart.
    expect(Object.keys(refusedFields({}, '.'))).toEqual([
      'evidence.idp',
      'evidence.region',
      'evidence.error_text',
      'evidence.last_good_sso_login_at',
      'evidence.incident_ref',
    ]);
    expect(refusedFields(SSO_DOWN_EVIDENCE, '.')).toEqual({ reason: 'write at least 10 characters' });
    expect(tryScenario(SSO_DOWN_EVIDENCE, '.')).toMatch(/reason: write at least 10 characters/);
    expect(tryScenario(SSO_DOWN_EVIDENCE, 'aaaaaaaaaa aaaaa aaaa')).toMatch(/does not look like a real answer/);
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, error_text: '.' })).toMatch(/error text: write at least 10 characters/);
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, error_text: '..........' })).toMatch(
      /error text: write at least 2 words/,
    );
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, idp: 'okta' })).toMatch(
      /Identity provider: expected aws-identity-center or google-workspace/,
    );
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, region: 'moon-1' })).toMatch(/region: expected an AWS region/);
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, incident_ref: '.' })).toMatch(
      /SEV-0 incident: write at least 3 characters/,
    );
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, password: 'hunter2' })).toMatch(
      /password: this field is not part of the form/,
    );
    expect(tryScenario(SSO_DOWN_EVIDENCE, 'line one of the reason\nline two of it')).toMatch(/one line only/);
  });

  it('refuses implausible times', () => {
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, last_good_sso_login_at: '2026-05-20T15:00:00Z' })).toMatch(
      /in the future/,
    );
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, last_good_sso_login_at: '2026-01-01T00:00:00Z' })).toMatch(
      /more than 30 days/,
    );
    expect(tryScenario({ ...SSO_DOWN_EVIDENCE, last_good_sso_login_at: 'yesterday' })).toMatch(/ISO 8601/);
    // Every problem in one answer, not one per try.
    const both = tryScenario({ ...SSO_DOWN_EVIDENCE, region: 'nowhere', last_good_sso_login_at: '12:40' });
    expect(both).toMatch(/region: expected an AWS region/);
    expect(both).toMatch(/Last good SSO login: expected an ISO 8601 time/);
    expect(refusedFields({ ...SSO_DOWN_EVIDENCE, last_good_sso_login_at: '2026-05-20T15:00:00Z' })).toEqual({
      'evidence.last_good_sso_login_at': 'this time is in the future',
    });
  });

  it('refuses MFA-lost when recovery codes exist, and needs a live, near deadline', () => {
    const mfa = {
      device: 'YubiKey 5C NFC serial 1234',
      recovery_codes: 'none-available',
      business_need: 'rotate the compromised production KMS key policy today',
      need_deadline: '2026-05-20T18:00:00Z',
    };
    expect(tryScenario(mfa, REASON, 'mfa-lost')).toBe('accepted');
    expect(tryScenario({ ...mfa, recovery_codes: 'available' }, REASON, 'mfa-lost')).toMatch(
      /authorised only without them/,
    );
    expect(tryScenario({ ...mfa, recovery_codes: '2 codes left' }, REASON, 'mfa-lost')).toMatch(
      /if you have any, use them instead of break-glass/,
    );
    // "None" as a person writes it is recorded as none-available.
    for (const none of ['none', ' None ', 'none available', 'no', '0'])
      expect(tryScenario({ ...mfa, recovery_codes: none }, REASON, 'mfa-lost'), none).toBe('accepted');
    expect(tryScenario({ ...mfa, need_deadline: '2026-05-19T18:00:00Z' }, REASON, 'mfa-lost')).toMatch(
      /already passed/,
    );
    expect(tryScenario({ ...mfa, need_deadline: '2026-06-19T18:00:00Z' }, REASON, 'mfa-lost')).toMatch(
      /more than 7 days/,
    );
  });

  it('refuses reasons from the NOT-authorised list', () => {
    expect(tryScenario(SSO_DOWN_EVIDENCE, 'the MFA prompt is slow and I need to deploy')).toMatch(
      /Not authorised: convenience/,
    );
    expect(tryScenario(SSO_DOWN_EVIDENCE, 'I forgot my YubiKey at home today')).toMatch(/forgot my YubiKey/);
    expect(tryScenario(SSO_DOWN_EVIDENCE, 'avoid waiting for the permission set request')).toMatch(/permission-set/);
  });

  it('refuses a scenario of the other ceremony type and unknown scenarios', () => {
    expect(tryScenario(SSO_DOWN_EVIDENCE, REASON, 'p0-role')).toMatch(/breakglass-role scenario/);
    expect(tryScenario(SSO_DOWN_EVIDENCE, REASON, 'because')).toMatch(/unknown scenario/);
  });
});
