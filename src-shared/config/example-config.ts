import { configSchema, type BreakglassConfig, type ConfigInput } from './schema';

/**
 * The runbook's tables as a configuration. Used (and said so) when no configuration file exists;
 * assets/example-config.yaml holds the same data for people to copy, and a test keeps them equal.
 */
export const EXAMPLE_CONFIG: ConfigInput = {
  version: 1,
  organisation: 'Example (runbook tables)',
  principals: [{ id: 'taha@example.com', name: 'Taha', role: 'CTO' }],
  founders: [
    { id: 'asad', name: 'Asad', channels: ['text', 'call'] },
    { id: 'ian', name: 'Ian', channels: ['text', 'call'] },
  ],
  compliance_liaison: { name: 'Asad', founder_id: 'asad' },
  accounts: [
    {
      name: 'Management',
      account_id: '778477254880',
      principal: 'AWS account root user (management-account root e-mail)',
      credential_location: "Taha's password manager + offline backup",
    },
    {
      name: 'Production',
      account_id: '039624954211',
      principal: 'AWS account root user (member-account email)',
      credential_location: "Taha's password manager + offline backup",
    },
    {
      name: 'Staging',
      account_id: '549136075525',
      principal: 'AWS account root user',
      credential_location: "Taha's password manager + offline backup",
    },
    {
      name: 'Log-archive',
      account_id: '754660694122',
      principal: 'AWS account root user',
      credential_location: "Taha's password manager + offline backup",
    },
  ],
  sso: { profile: 'breakglass-sso-probe', region: 'us-east-1' },
  mongodb: { database: 'breakglass' },
  keys: { rp_id: 'breakglass.local' },
  breakglass_role: { role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency', ttl_minutes: 60 },
};

/** The runbook's tables, validated: what every command uses when no configuration file exists. */
export function builtInConfig(): BreakglassConfig {
  return configSchema.parse(EXAMPLE_CONFIG);
}
