import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { fromSSO } from '@aws-sdk/credential-providers';
import type { EntryPayload } from '../../src-shared/ceremony/entry-kinds';
import { classifyProbeError } from './classify-probe-error';
import { SsoCredentialsError } from './sso-credentials-error';

/** What STSClient accepts as `credentials`: a function resolving to (temporary) credentials. */
export type CredentialProvider = (
  props?: Record<string, unknown>,
) => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;

export type SsoProbeOutcome = EntryPayload<'sso_probe'>;
export type SsoProbe = (sso: { profile: string; region: string }) => Promise<SsoProbeOutcome>;

/** The part of STSClient the probe uses, so a test can hand in a recording double. */
export interface StsLike {
  send(command: GetCallerIdentityCommand): Promise<{ Arn?: string }>;
  destroy?(): void;
}

export interface StsSsoProbeOptions {
  /** Credentials for a profile; default: the SSO credentials of the AWS config (fromSSO). */
  credentialsFor?: (profile: string) => CredentialProvider;
  /** Builds the client; default: the real STSClient. */
  createClient?: (config: STSClientConfig) => StsLike;
  /** Override the STS endpoint (tests use a loopback server). */
  endpoint?: string;
  timeoutMs?: number;
  clock?: () => Date;
}

/**
 * The runbook's "Confirm the standard SSO path is unavailable. Try once.": one GetCallerIdentity
 * with the SSO profile, no retries. Records what happened (error name, message, time, endpoint);
 * the credentials themselves stay inside the SDK and are never recorded.
 */
export function createStsSsoProbe(options: StsSsoProbeOptions = {}): SsoProbe {
  const clock = options.clock ?? (() => new Date());
  const credentialsFor = options.credentialsFor ?? ((profile: string) => fromSSO({ profile }));
  const createClient = options.createClient ?? ((config: STSClientConfig) => new STSClient(config));
  const timeoutMs = options.timeoutMs ?? 15_000;
  return async ({ profile, region }) => {
    const endpoint = options.endpoint ?? `https://sts.${region}.amazonaws.com`;
    const provider = credentialsFor(profile);
    const credentials: CredentialProvider = async (props) => {
      try {
        return await provider(props);
      } catch (error) {
        throw new SsoCredentialsError(error);
      }
    };
    const client = createClient({
      region,
      credentials,
      // "Try once": the SDK would otherwise retry up to three times.
      maxAttempts: 1,
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
    const attempted_at = clock().toISOString();
    try {
      const out = await client.send(new GetCallerIdentityCommand({}));
      return {
        profile,
        region,
        endpoint,
        attempted_at,
        outcome: 'sso_working',
        ...(out.Arn ? { caller_arn: out.Arn } : {}),
      };
    } catch (error) {
      const c = classifyProbeError(error);
      return {
        profile,
        region,
        endpoint,
        attempted_at,
        outcome: c.outcome,
        error_name: c.name,
        error_message: c.message,
      };
    } finally {
      client.destroy?.();
    }
  };
}
