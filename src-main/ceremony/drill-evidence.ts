import type { ScenarioId } from '../../src-shared/ceremony/scenarios';

/** Canned, plausible evidence per scenario for a drill; every text says DRILL. */
export function drillEvidence(scenario: ScenarioId, start: Date): { evidence: Record<string, string>; reason: string } {
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();
  switch (scenario) {
    case 'sso-down':
      return {
        evidence: {
          idp: 'aws-identity-center',
          region: 'us-east-1',
          error_text: 'DRILL: simulated IAM Identity Center outage, portal returns 503',
          last_good_sso_login_at: at(-120),
          incident_ref: 'DRILL-SEV0-SSO',
        },
        reason: 'DRILL: rehearsing the SSO-down break-glass path',
      };
    case 'mfa-lost':
      return {
        evidence: {
          device: 'DRILL: simulated lost YubiKey',
          recovery_codes: 'none-available',
          business_need: 'DRILL: simulated time-bound need to rotate a production key policy',
          need_deadline: at(6 * 60),
        },
        reason: 'DRILL: rehearsing the lost-MFA break-glass path',
      };
    case 'console-outage':
      return {
        evidence: {
          region: 'us-east-1',
          console_error: 'DRILL: simulated console sign-in outage in the IdP region',
          console_action: 'DRILL: simulated action that only the console can do',
        },
        reason: 'DRILL: rehearsing the console-outage break-glass path',
      };
    case 'p0-role':
      return {
        evidence: {
          incident_ref: 'DRILL-P0-ROLE',
          blocker: 'DRILL: simulated gap in the standard platform role',
          approver: 'drill-approver',
          cleanup_owner: 'drill-cleanup-owner',
        },
        reason: 'DRILL: rehearsing the breakglass-emergency role path',
      };
  }
}
