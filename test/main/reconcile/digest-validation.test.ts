import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { useTempDir } from '../../support/temp-dir';
import { fixture, PROD, rootLoginSteps, writeBundle } from './support/ceremony-journal';
import { recordsOf, reconcileSteps } from './support/trail-records';

const tempDir = useTempDir('breakglass-digest-');
// SYNTHETIC by necessity: no public digest comes with CloudTrail's private key, so the tests sign
// their own, in AWS's documented format, with a key generated here.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const der = publicKey.export({ type: 'pkcs1', format: 'der' });
const fingerprint = createHash('md5').update(der).digest('hex');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const BUCKET = 'bookstore-platform-audit';
const prefix = `AWSLogs/${PROD}/CloudTrail`;

interface Built {
  dir: string;
  logs: string[];
  digests: string[];
  keys: string;
  logContents: Buffer[];
}

/** Two hourly log files, two chained digests (the newest with its signature beside it), the public keys. */
function build(): Built {
  const dir = tempDir();
  const logContents = [
    Buffer.from(readFileSync(fixture('cloudtrail', 'trail-log-root-no-mfa.json'))),
    Buffer.from(JSON.stringify({ Records: recordsOf('root-session-page1.json') })),
  ];
  const names = [
    `${PROD}_CloudTrail_us-east-1_20260520T1305Z_a1.json.gz`,
    `${PROD}_CloudTrail_us-east-1_20260520T1405Z_b2.json.gz`,
  ];
  const logs = names.map((n, i) => {
    const f = path.join(dir, n);
    writeFileSync(f, gzipSync(logContents[i] as Buffer));
    return f;
  });
  const digests: string[] = [];
  type Prev = { object: string; content: Buffer; signature: string } | null;
  let prev: Prev = null as Prev;
  for (let i = 0; i < 2; i++) {
    const end = i === 0 ? '2026-05-20T13:31:00Z' : '2026-05-20T14:31:00Z';
    const object = `${prefix}-Digest/us-east-1/2026/05/20/${PROD}_CloudTrail-Digest_us-east-1_bg_us-east-1_${end.replace(/[-:]/g, '')}.json.gz`;
    const p: Prev = prev;
    const body: Record<string, unknown> = {
      awsAccountId: PROD,
      digestStartTime: i === 0 ? '2026-05-20T12:31:00Z' : '2026-05-20T13:31:00Z',
      digestEndTime: end,
      digestS3Bucket: BUCKET,
      digestS3Object: object,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: end,
      oldestEventTime: end,
      previousDigestS3Bucket: p ? BUCKET : null,
      previousDigestS3Object: p?.object ?? null,
      previousDigestHashValue: p ? sha(p.content) : null,
      previousDigestHashAlgorithm: p ? 'SHA-256' : null,
      previousDigestSignature: p?.signature ?? null,
      logFiles: [
        {
          s3Bucket: BUCKET,
          s3Object: `${prefix}/us-east-1/2026/05/20/${names[i]}`,
          hashValue: sha(logContents[i] as Buffer),
          hashAlgorithm: 'SHA-256',
          newestEventTime: end,
          oldestEventTime: end,
        },
      ],
    };
    const content: Buffer = Buffer.from(JSON.stringify(body));
    const toSign = `${end}\n${BUCKET}/${object}\n${sha(content)}\n${p?.signature ?? 'null'}`;
    const signature: string = sign('sha256', Buffer.from(toSign), privateKey).toString('hex');
    const f = path.join(dir, path.basename(object));
    writeFileSync(f, gzipSync(content));
    // Only the newest digest's signature is S3 metadata; the older one is carried by its successor.
    if (i === 1) writeFileSync(`${f}.sig`, signature);
    digests.push(f);
    prev = { object, content, signature };
  }
  const keys = path.join(dir, 'public-keys.json');
  writeFileSync(
    keys,
    JSON.stringify({
      PublicKeyList: [
        {
          Value: der.toString('base64'),
          ValidityStartTime: '2026-05-01T00:00:00Z',
          ValidityEndTime: '2026-06-01T00:00:00Z',
          Fingerprint: fingerprint,
        },
      ],
    }),
  );
  return { dir, logs, digests, keys, logContents };
}

const steps = () =>
  rootLoginSteps()
    .filter((s) => s.kind !== 'action_logged')
    .map((s) => (s.kind === 'signed_in' ? { ...s, payload: { ...s.payload, ip_address: '192.0.2.0' } } : s));
const run = (b: Built, id: string) =>
  reconcileSteps(b.dir, id, steps(), { cloudtrail: b.logs, digests: b.digests, publicKeys: b.keys });

describe('CloudTrail log file integrity, offline', () => {
  it('validates signatures, the digest chain and each log file hash, and marks the events of validated files', () => {
    const b = build();
    const r = run(b, 'root-digest-ok');
    expect(r.integrity?.problems).toEqual([]);
    expect(r.integrity?.digests.map((d) => d.signatureValid)).toEqual([true, true]);
    expect(r.integrity?.validatedFiles).toEqual(b.logs);
    expect(r.integrity?.eventsFromValidatedFiles).toBe(r.integrity?.eventsInWindow);
    expect(r.session.every((e) => e.validated)).toBe(true);
    // The same session with a lookup-events file beside the logs: its events are not certified.
    const mixed = reconcileSteps(b.dir, 'root-digest-mixed', steps(), {
      cloudtrail: [...b.logs, fixture('cloudtrail', 'root-session-page2.json')],
      digests: b.digests,
      publicKeys: b.keys,
    });
    expect(mixed.integrity?.problems.join('\n')).toMatch(
      /of the session's \d+ event\(s\) come from files no validated digest covers \(.*root-session-page2\.json\)/,
    );
  });

  it('a log file changed after delivery fails its hash', () => {
    const b = build();
    const changed = Buffer.from(
      (b.logContents[0] as Buffer).toString('utf8').replace('"MFAUsed": "No"', '"MFAUsed": "Yes"'),
    );
    writeFileSync(b.logs[0] as string, gzipSync(changed));
    const r = run(b, 'root-digest-log');
    expect(r.integrity?.validatedFiles).toEqual([b.logs[1]]);
    expect(r.needsAttention.find((a) => a.startsWith('CloudTrail integrity:'))).toMatch(
      /a1\.json\.gz: its SHA-256 differs from the hash the digest records .* modified after delivery/,
    );
    expect(r.session.find((e) => e.eventId === 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0')?.validated).toBe(false);
  });

  it('an altered earlier digest breaks the chain and its signature', () => {
    const b = build();
    const d0 = b.digests[0] as string;
    const json = JSON.parse(gunzipSync(readFileSync(d0)).toString('utf8')) as {
      logFiles: Array<{ hashValue: string }>;
    };
    (json.logFiles[0] as { hashValue: string }).hashValue = sha('forged');
    writeFileSync(d0, gzipSync(Buffer.from(JSON.stringify(json))));
    const r = run(b, 'root-digest-forged');
    expect(r.integrity?.problems.join('\n')).toMatch(/previousDigestHashValue does not match/);
    expect(r.integrity?.digests[0]?.signatureValid).toBe(false);
  });

  it('the newest digest without its signature, or signed by an unknown key, does not validate', () => {
    const b = build();
    rmSync(`${b.digests[1] as string}.sig`);
    expect(run(b, 'root-digest-nosig').integrity?.problems.join('\n')).toMatch(/no signature: give <digest>\.sig/);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'pkcs1',
      format: 'der',
    });
    writeFileSync(
      b.keys,
      JSON.stringify({ PublicKeyList: [{ Value: other.toString('base64'), Fingerprint: 'ffff' }] }),
    );
    expect(run(b, 'root-digest-key').integrity?.problems.join('\n')).toMatch(/no public key with fingerprint/);
  });
});

describe('breakglass reconcile --cloudtrail-digest --cloudtrail-public-keys', () => {
  it('says which session events come from validated log files', async () => {
    const b = build();
    const bundle = writeBundle(b.dir, 'root-digest-cli', steps());
    const out: string[] = [];
    const args = [
      'reconcile',
      '--bundle',
      bundle,
      ...b.logs.flatMap((l) => ['--cloudtrail', l]),
      ...b.digests.flatMap((d) => ['--cloudtrail-digest', d]),
      '--cloudtrail-public-keys',
      b.keys,
    ];
    await runCli(args, {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: {},
      now: () => new Date('2026-05-21T10:00:00Z'),
    });
    expect(out.join('\n')).toMatch(
      /Integrity: 2\/2 digest\(s\) verified; (\d+) of \1 session event\(s\) come from validated log files/,
    );
    expect(out.join('\n')).toContain(
      'signin:ConsoleLogin  (us-east-1)  [deb1e1f9-c99b-4612-8e9f-21f93b5d79c0]  (validated log file)',
    );
    const noKeys = await runCli(args.slice(0, -2), {
      out: () => undefined,
      err: (l) => out.push(l),
      env: {},
      now: () => new Date(),
    });
    expect(noKeys).toBe(2);
    expect(out.at(-1)).toContain('--cloudtrail-digest: digest files need --cloudtrail-public-keys');
  });
});
