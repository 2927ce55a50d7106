import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

/** One `aws cloudtrail lookup-events --output json` event, CloudTrailEvent embedded as a string. */
function rootEvent(id: string, name: string, source: string, time: string, readOnly: boolean) {
  const detail = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'Root',
      principalId: '039624954211',
      arn: 'arn:aws:iam::039624954211:root',
      accountId: '039624954211',
    },
    eventTime: time.replace('.000Z', 'Z'),
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'Mozilla/5.0',
    requestParameters: {},
    responseElements: null,
    eventID: id,
    readOnly,
    eventType: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: '039624954211',
  };
  return {
    EventId: id,
    EventName: name,
    ReadOnly: String(readOnly),
    EventTime: time,
    EventSource: source,
    Username: 'root',
    Resources: [],
    CloudTrailEvent: JSON.stringify(detail),
  };
}

describe('export after a reconciliation is attached', () => {
  const tempDir = useTempDir();

  it('writes bundle, session log and postmortem; the attached report keeps the bundle verifiable', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const drill = await cli([
      'drill',
      '--data-dir',
      data,
      '--export',
      path.join(dir, 'first'),
      '--start-time',
      '2026-11-21T09:00:00.000Z',
      '--duration-minutes',
      '30',
      '--action',
      'ran: aws ec2 terminate-instances --instance-ids i-0abc',
    ]);
    expect(drill.code, drill.err).toBe(0);
    const bundleFile = drill.lastLine;
    const ceremonyId = path.basename(bundleFile, '.bundle.json');
    const trail = path.join(dir, 'cloudtrail.json');
    writeFileSync(
      trail,
      JSON.stringify({
        Events: [
          rootEvent('e-1', 'ConsoleLogin', 'signin.amazonaws.com', '2026-11-21T09:06:30.000Z', false),
          rootEvent('e-2', 'TerminateInstances', 'ec2.amazonaws.com', '2026-11-21T09:20:00.000Z', false),
          rootEvent('e-3', 'CreateAccessKey', 'iam.amazonaws.com', '2026-11-21T09:25:00.000Z', false),
        ],
      }),
    );

    const rec = await cli([
      'reconcile',
      '--bundle',
      bundleFile,
      '--cloudtrail',
      trail,
      '--json',
      '--attach',
      '--data-dir',
      data,
    ]);
    expect(rec.code).toBe(1); // an undeclared CreateAccessKey needs attention
    const report = JSON.parse(rec.out) as { accessKeysCreated: Array<{ eventId: string }> };
    expect(report.accessKeysCreated.map((k) => k.eventId)).toEqual(['e-3']);
    expect(rec.err).toMatch(new RegExp(`attached to ${ceremonyId} as seq \\d+`));

    const out = path.join(dir, 'second');
    const exported = await cli(['export', '--data-dir', data, '--ceremony', ceremonyId, '--out', out]);
    expect(exported.code, exported.err).toBe(0);
    const postmortem = exported.out.match(/postmortem: (.+)$/m)?.[1];
    expect(postmortem && existsSync(postmortem)).toBe(true);
    const text = readFileSync(postmortem!, 'utf8');
    expect(text).toMatch(/Why was break-glass needed/i);
    expect(text).toMatch(/blast radius/i);
    expect(text).toContain('e-3');
    // Exported again after the attachment: sealed again, so nothing in it is unsigned (only the pins are missing here).
    // The attachment and the seal were journalled on this machine's clock, which the verifier's must not precede.
    const verified = await cli(['verify', path.join(out, `${ceremonyId}.bundle.json`)], new Date(Date.now() + 60_000));
    expect(verified.out).toMatch(/^ORIGIN NOT VERIFIED \(DRILL\)/);
    expect(verified.out).not.toMatch(/UNSIGNED|INCOMPLETE/);
    expect(verified.code).toBe(5);
  });

  it('refuses to export a journal that does not verify, naming the first bad seq', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const drill = await cli(['drill', '--data-dir', data, '--export', path.join(dir, 'o')]);
    const ceremonyId = path.basename(drill.lastLine, '.bundle.json');
    const db = new Database(path.join(data, 'journal.sqlite3'));
    db.exec('DROP TRIGGER entries_no_update');
    db.prepare(
      "UPDATE entries SET payload = replace(payload, 'Production', 'Staging') WHERE ceremony_id = ? AND kind = 'account_selected'",
    ).run(ceremonyId);
    const seq = (
      db.prepare("SELECT seq FROM entries WHERE ceremony_id = ? AND kind = 'account_selected'").get(ceremonyId) as {
        seq: number;
      }
    ).seq;
    db.close();
    const r = await cli(['export', '--data-dir', data, '--ceremony', ceremonyId, '--out', path.join(dir, 'again')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`does not verify at seq ${seq}`);
    expect(existsSync(path.join(dir, 'again', `${ceremonyId}.bundle.json`))).toBe(false);
  });

  it('refuses to export what is not there, and says what is', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    expect((await cli(['export', '--data-dir', data, '--ceremony', 'bg-x-1', '--out', dir])).err).toMatch(
      /no journal at/,
    );
    await cli(['drill', '--data-dir', data, '--export', path.join(dir, 'o')]);
    const r = await cli(['export', '--data-dir', data, '--ceremony', 'bg-nope-1', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no ceremony "bg-nope-1" in this journal \(known: bg-/);
    expect((await cli(['export', '--data-dir', data])).err).toMatch(/--ceremony is required/);
  });
});
