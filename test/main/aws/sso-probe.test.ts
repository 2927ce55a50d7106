import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStsSsoProbe } from '../../../src-main/aws/sso-probe';
import { redact } from '../../../src-main/aws/classify-probe-error';
import { useTempDir } from '../../support/temp-dir';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const creds = () => async () => ({
  accessKeyId: 'ASIATESTPROBE0000001',
  secretAccessKey: SECRET,
  sessionToken: 'session-token-for-test',
});
const clock = () => new Date('2026-05-20T13:00:00.000Z');

const OK_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::039624954211:assumed-role/AWSReservedSSO_AdministratorAccess_abc/taha</Arn>
    <UserId>AROAEXAMPLE:taha</UserId>
    <Account>039624954211</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>11111111-1111-1111-1111-111111111111</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;
const errorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>22222222-2222-2222-2222-222222222222</RequestId></ErrorResponse>`;

interface Seen {
  method: string;
  body: string;
  headers: IncomingMessage['headers'];
}

/** A loopback STS that answers every request with one canned response and records what it got. */
async function fakeSts(status: number, body: string): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', body: data, headers: req.headers });
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('SSO probe (real STSClient against a loopback STS)', () => {
  const tempDir = useTempDir();

  it('SSO working: records the caller ARN and says so', async () => {
    const sts = await fakeSts(200, OK_XML);
    const probe = createStsSsoProbe({ endpoint: sts.url, credentialsFor: creds, clock });
    const r = await probe({ profile: 'breakglass-sso-probe', region: 'us-east-1' });
    expect(r).toEqual({
      profile: 'breakglass-sso-probe',
      region: 'us-east-1',
      endpoint: sts.url,
      attempted_at: '2026-05-20T13:00:00.000Z',
      outcome: 'sso_working',
      caller_arn: 'arn:aws:sts::039624954211:assumed-role/AWSReservedSSO_AdministratorAccess_abc/taha',
    });
    expect(sts.seen).toHaveLength(1);
    expect(sts.seen[0]!.body).toContain('Action=GetCallerIdentity');
    // SigV4 sends a signature, never the secret key.
    expect(JSON.stringify(sts.seen)).not.toContain(SECRET);
  });

  it('STS refusing the credentials is inconclusive, with the exact error name and message', async () => {
    const sts = await fakeSts(403, errorXml('ExpiredToken', 'The security token included in the request is expired'));
    const r = await createStsSsoProbe({ endpoint: sts.url, credentialsFor: creds, clock })({
      profile: 'p',
      region: 'eu-west-1',
    });
    expect(r).toMatchObject({
      outcome: 'inconclusive',
      error_name: 'ExpiredToken',
      error_message: 'STS: The security token included in the request is expired',
    });
    expect(r.caller_arn).toBeUndefined();
  });

  it('tries exactly once: a 503 is not retried', async () => {
    const sts = await fakeSts(503, errorXml('ServiceUnavailable', 'Service is unavailable'));
    const r = await createStsSsoProbe({ endpoint: sts.url, credentialsFor: creds, clock })({
      profile: 'p',
      region: 'us-east-1',
    });
    expect(sts.seen).toHaveLength(1);
    expect(r.outcome).toBe('inconclusive');
    expect(r.error_name).toBe('ServiceUnavailable');
  });

  it('the SSO credential provider failing on the network is "sso_unavailable", and STS is never called', async () => {
    const sts = await fakeSts(200, OK_XML);
    const failing = () => async () => {
      const e = new Error('connect ECONNREFUSED 52.94.0.1:443 (portal.sso.us-east-1.amazonaws.com)');
      e.name = 'CredentialsProviderError';
      throw e;
    };
    const r = await createStsSsoProbe({ endpoint: sts.url, credentialsFor: failing, clock })({
      profile: 'p',
      region: 'us-east-1',
    });
    expect(r).toMatchObject({ outcome: 'sso_unavailable', error_name: 'CredentialsProviderError' });
    expect(r.error_message).toMatch(/^SSO credentials: connect ECONNREFUSED/);
    expect(sts.seen).toHaveLength(0);
  });

  it('the real fromSSO with a profile that does not exist is inconclusive (a local problem proves nothing)', async () => {
    const dir = tempDir();
    const configFile = path.join(dir, 'config');
    writeFileSync(configFile, '[profile other]\nregion = us-east-1\n');
    const saved = {
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
    };
    process.env.AWS_CONFIG_FILE = configFile;
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    try {
      const sts = await fakeSts(200, OK_XML);
      const r = await createStsSsoProbe({ endpoint: sts.url, clock })({
        profile: 'breakglass-sso-probe',
        region: 'us-east-1',
      });
      expect(r.outcome).toBe('inconclusive');
      expect(r.error_message).toMatch(/^SSO credentials: /);
      expect(sts.seen).toHaveLength(0);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('redacts key-like strings from recorded messages', () => {
    expect(redact('bad key AKIAIOSFODNN7EXAMPLE here')).toBe('bad key [redacted key id] here');
    expect(redact('word '.repeat(400))).toHaveLength(500);
    expect(redact(`token ${'Ab9+'.repeat(20)}`)).toBe('token [redacted]');
  });
});
