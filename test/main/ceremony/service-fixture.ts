import { createHash, generateKeyPairSync, sign as ecSign } from 'node:crypto';
import { createCeremonyService, type CeremonyServiceDeps } from '../../../src-main/ceremony/ceremony-service';
import type { StepSigner } from '../../../src-main/ceremony/step-signer';
import { openJournal, type Journal } from '../../../src-main/journal/journal';
import type { SsoProbe } from '../../../src-main/aws/sso-probe';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { configSchema } from '../../../src-shared/config/schema';
import type { EnrolledKey } from '../../../src-shared/journal/types';

export const CONFIG = configSchema.parse(EXAMPLE_CONFIG);

/** A settable clock: the test moves time explicitly. */
export function manualClock(start = '2026-05-20T13:00:00.000Z') {
  let t = Date.parse(start);
  const clock = () => new Date(t);
  return Object.assign(clock, {
    advance: (minutes: number) => (t += minutes * 60_000),
    set: (iso: string) => (t = Date.parse(iso)),
  });
}

/**
 * A software ES256 signer standing in for a key where the test is about the ceremony, not the
 * key: it signs authenticatorData || clientDataHash like an authenticator, and can be told to fail.
 */
export function softwareSigner() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let count = 0;
  const failures: Array<Error & { code?: string }> = [];
  const requests: Buffer[] = [];
  let beforeSign: (() => void) | null = null;
  const signer: StepSigner = {
    async sign({ clientDataHash, allow, signal }) {
      requests.push(clientDataHash);
      beforeSign?.();
      const f = failures.shift();
      if (f) throw f;
      if (signal?.aborted) throw Object.assign(new Error('the tap was cancelled'), { code: 'cancelled' });
      const authData = Buffer.concat([
        createHash('sha256').update('breakglass.local').digest(),
        Buffer.from([0x01]),
        Buffer.from([0, 0, 0, ++count]),
      ]);
      return {
        credential_id: allow[0]!.credential_id,
        authenticator_data: authData.toString('base64'),
        signature: ecSign('sha256', Buffer.concat([authData, clientDataHash]), privateKey).toString('base64'),
        sign_count: count,
      };
    },
  };
  return {
    signer,
    requests,
    failNext: (code: string, message: string) => failures.push(Object.assign(new Error(message), { code })),
    onSign: (fn: (() => void) | null) => (beforeSign = fn),
  };
}

export const TEST_KEY: EnrolledKey = {
  credential_id: 'dGVzdC1jcmVkZW50aWFs',
  operator: 'taha@example.com',
  label: 'primary',
  rp_id: 'breakglass.local',
  cose_public_key: '',
  aaguid: '0'.repeat(32),
  fmt: 'none',
  att_stmt: null,
  enrolment_authenticator_data: null,
  enrolment_client_data_hash: null,
  enrolled_at: '2026-05-01T00:00:00.000Z',
};

export function outageProbe(calls: { n: number } = { n: 0 }): SsoProbe {
  return async ({ profile, region }) => {
    calls.n++;
    await new Promise((r) => setTimeout(r, 5));
    return {
      profile,
      region,
      endpoint: `https://sts.${region}.amazonaws.com`,
      attempted_at: '2026-05-20T13:01:00.000Z',
      outcome: 'sso_unavailable',
      error_name: 'CredentialsProviderError',
      error_message: 'SSO credentials: connect ETIMEDOUT',
    };
  };
}

export function makeService(
  dataDir: string,
  overrides: Partial<CeremonyServiceDeps> & { clock: () => Date; signer: StepSigner },
): { service: ReturnType<typeof createCeremonyService>; journal: Journal } {
  const journal = overrides.journal ?? openJournal({ dataDir, clock: overrides.clock });
  const service = createCeremonyService({
    journal,
    config: CONFIG,
    configSource: 'test configuration',
    enrolledKeys: (op) => (op === TEST_KEY.operator ? [TEST_KEY] : []),
    ssoProbe: outageProbe(),
    appVersion: '0.1.0-test',
    ...overrides,
  });
  return { service, journal };
}

export const SSO_DOWN = {
  scenario_id: 'sso-down',
  evidence: {
    idp: 'google-workspace',
    region: 'us-east-1',
    error_text: 'Google Workspace sign-in returns 502 Bad Gateway',
    last_good_sso_login_at: '2026-05-20T09:30:00Z',
    incident_ref: 'INC-2026-05-20-001',
  },
  reason: 'SSO outage during SEV-0; must stop the runaway instance fleet',
};
