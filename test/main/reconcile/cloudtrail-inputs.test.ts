import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { parseCloudTrailBytes } from '../../../src-main/reconcile/cloudtrail-events';
import { useTempDir } from '../../support/temp-dir';
import { fixture, rootLoginSteps, writeBundle } from './support/ceremony-journal';

const tempDir = useTempDir('breakglass-ct-inputs-');
const ct = (name: string) => fixture('cloudtrail', name);
const parse = (file: string) => parseCloudTrailBytes(file, readFileSync(file));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    now: () => new Date('2026-05-21T10:00:00Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CloudTrail input shapes', () => {
  it('reads a trail log file {"Records":[...]} (AWS sign-in examples)', () => {
    const f = parse(ct('trail-log-root-no-mfa.json'));
    expect(f.format).toBe('trail-log');
    expect(f.events.map((e) => [e.eventName, e.eventId])).toEqual([
      ['ConsoleLogin', 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0'],
      ['EnableMFADevice', 'EXAMPLEb-7dae-48cb-895f-20e86EXAMPLE'],
    ]);
  });

  it('reads a gzip-compressed trail log and hashes its uncompressed content (what a digest records)', () => {
    const file = ct('trail-log-role-chain.json.gz');
    const f = parse(file);
    expect(f.gzip).toBe(true);
    expect(f.events.map((e) => e.eventName)).toEqual(['AssumeRole', 'DeleteBucket']);
    expect(f.contentSha256).toBe(
      createHash('sha256')
        .update(gunzipSync(readFileSync(file)))
        .digest('hex'),
    );
    expect(f.sha256).not.toBe(f.contentSha256);
  });

  it('reads JSON lines of records, and of lookup-events entries', () => {
    expect(parse(ct('role-public-access-block.jsonl')).events.map((e) => e.eventName)).toEqual([
      'PutBucketPublicAccessBlock',
      'GetUserPolicy',
    ]);
    const page = JSON.parse(readFileSync(ct('root-session-page1.json'), 'utf8')) as { Events: unknown[] };
    const file = path.join(tempDir(), 'events.jsonl');
    writeFileSync(file, page.Events.map((e) => JSON.stringify(e)).join('\n'));
    const f = parse(file);
    expect(f.format).toBe('json-lines');
    expect(f.events.map((e) => e.eventId)).toEqual(parse(ct('root-session-page1.json')).events.map((e) => e.eventId));
  });

  it('reads a gzip-compressed lookup-events file and several pages in one file', () => {
    const dir = tempDir();
    const gz = path.join(dir, 'page1.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(ct('root-session-page1.json'))));
    expect(parse(gz).events.length).toBe(7);
    const two = path.join(dir, 'pages.json');
    writeFileSync(
      two,
      `${readFileSync(ct('with-next-token.json'), 'utf8')}\n${readFileSync(ct('root-session-page2.json'), 'utf8')}`,
    );
    const f = parse(two);
    expect([f.pages, f.pagesWithNextToken, f.events.length]).toEqual([2, 1, 7]);
  });

  describe('refuses anything else in one terminal-safe line, exit 2', () => {
    const cases: Array<[string, (dir: string) => string, RegExp]> = [
      [
        'a cut-off .gz (the raw gzip bytes were once echoed)',
        (dir) => {
          const f = path.join(dir, 'cut.json.gz');
          const gz = readFileSync(ct('trail-log-role-chain.json.gz'));
          writeFileSync(f, gz.subarray(0, gz.length / 2));
          return f;
        },
        /cut\.json\.gz: the CloudTrail file is gzip-compressed but is cut short or corrupt/,
      ],
      [
        'binary bytes with a terminal escape sequence',
        (dir) => {
          const f = path.join(dir, 'binary.json');
          writeFileSync(f, Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0xff, 0x07, 0x0a]));
          return f;
        },
        /binary\.json: the CloudTrail file is not valid JSON \(syntax error/,
      ],
      [
        'JSON with an escape sequence inside a string',
        (dir) => {
          const f = path.join(dir, 'esc.json');
          // JSON's own \u001b escape: the parsed EventId holds a real ESC, which must not reach the terminal.
          writeFileSync(f, '{"Events": [ {"EventId": "\\u001b[2Jx", "CloudTrailEvent": "{"} ]}');
          return f;
        },
        /esc\.json: Events\[0\] \(EventId \\u001b\[2Jx\): CloudTrailEvent is not valid JSON/,
      ],
      [
        'a JSON-lines file with a line that is not an event',
        (dir) => {
          const f = path.join(dir, 'mixed.jsonl');
          writeFileSync(f, `${readFileSync(ct('role-public-access-block.jsonl'), 'utf8')}{"hello": 1}\n`);
          return f;
        },
        /mixed\.jsonl: value 3 \(byte \d+\) is not the output of/,
      ],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const dir = tempDir();
        const bundle = writeBundle(dir, 'root-bad-input', rootLoginSteps());
        const r = await cli('reconcile', '--bundle', bundle, '--cloudtrail', make(dir));
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(message);
        expect(r.err.split('\n')).toHaveLength(1);
        // eslint-disable-next-line no-control-regex
        expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      });
    }
  });
});
