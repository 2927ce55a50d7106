/** The SSO-down scenario's evidence as a drill records it, an hour after the last good login. */
export const SSO_DOWN = (now: Date, incidentRef = 'INC-DRILL-002') => ({
  scenario_id: 'sso-down',
  evidence: {
    idp: 'aws-identity-center',
    region: 'us-east-1',
    error_text: 'DRILL: the SSO portal answers 503 for everyone',
    last_good_sso_login_at: new Date(now.getTime() - 3600_000).toISOString(),
    incident_ref: incidentRef,
  },
  reason: 'DRILL: failover needs AWS API access now',
});
