import type { SsoProbe } from '../aws/sso-probe';

/**
 * The drill's SSO probe: no network, a recorded outage that says it is simulated, so a drill runs
 * the SSO-down path on a laptop where SSO works (and never touches AWS).
 */
export function simulatedSsoOutage(clock: () => Date = () => new Date()): SsoProbe {
  return async ({ profile, region }) => ({
    profile,
    region,
    endpoint: 'drill://simulated-sts',
    attempted_at: clock().toISOString(),
    outcome: 'sso_unavailable',
    error_name: 'DrillSimulatedOutage',
    error_message: 'DRILL: simulated SSO outage; no request was sent',
  });
}
