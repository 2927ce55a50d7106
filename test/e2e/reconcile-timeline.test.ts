import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src-shared/journal/types';
import { EXPORTS_DIR } from '../../src-main/ipc/handlers';
import { cli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, SCREENSHOT_DIR, typeInto, type RunningApp } from './support/core';

const ACCOUNT = '039624954211'; // Production, the drill's default account in the runbook's table

/** One `aws cloudtrail lookup-events --output json` event by the account's root user, CloudTrailEvent embedded as a string. */
function rootEvent(
  id: string,
  name: string,
  source: string,
  time: Date,
  readOnly: boolean,
  extra: { requestParameters?: object; responseElements?: object } = {},
) {
  const detail = {
    eventVersion: '1.09',
    userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
    eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'Mozilla/5.0',
    requestParameters: extra.requestParameters ?? {},
    responseElements: extra.responseElements ?? null,
    eventID: id,
    readOnly,
    eventType: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: ACCOUNT,
  };
  return {
    EventId: id,
    EventName: name,
    ReadOnly: String(readOnly),
    EventTime: time.toISOString(),
    EventSource: source,
    Username: 'root',
    Resources: [],
    CloudTrailEvent: JSON.stringify(detail),
  };
}

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);
const timelineRow = (page: Page, mark: string, text: string) =>
  page.getByTestId('reconcile-timeline').locator(`li[data-mark="${mark}"]`, { hasText: text });

/** A finished drill (root login, one declared terminate-instances) in the data dir, and a CloudTrail file for its window. */
async function drillWithCloudTrail(dir: string): Promise<{ dataDir: string; ceremonyId: string; trail: string }> {
  const dataDir = path.join(dir, 'data');
  const start = new Date(Date.now() - 3 * 3600_000);
  start.setUTCSeconds(0, 0);
  const drill = await cli([
    'drill',
    '--data-dir',
    dataDir,
    '--export',
    path.join(dir, 'drill-export'),
    '--start-time',
    start.toISOString(),
    '--duration-minutes',
    '30',
    '--action',
    'ran: aws ec2 terminate-instances --instance-ids i-0abc',
  ]);
  expect(drill.code, drill.err).toBe(0);
  return {
    dataDir,
    ceremonyId: path.basename(drill.lastLine, '.bundle.json'),
    trail: path.join(dir, 'evidence', 'cloudtrail.json'),
  };
}

function writeTrail(file: string, entries: JournalEntry[]): void {
  const at = (kind: string, field: string) => {
    const e = entries.find((x) => x.kind === kind);
    const v = e?.payload[field];
    if (typeof v !== 'string') throw new Error(`the drill journal has no ${kind}.${field}`);
    return v;
  };
  const signedIn = at('signed_in', 'signed_in_at');
  const logged = at('action_logged', 'logged_at');
  writeFileSync(
    file,
    JSON.stringify({
      Events: [
        rootEvent(
          '11111111-1111-4111-8111-111111111111',
          'ConsoleLogin',
          'signin.amazonaws.com',
          plus(signedIn, 20),
          false,
        ),
        rootEvent(
          '22222222-2222-4222-8222-222222222222',
          'TerminateInstances',
          'ec2.amazonaws.com',
          plus(logged, 30),
          false,
          { requestParameters: { instancesSet: { items: [{ instanceId: 'i-0abc' }] } } },
        ),
        rootEvent(
          '33333333-3333-4333-8333-333333333333',
          'DescribeInstances',
          'ec2.amazonaws.com',
          plus(logged, 90),
          true,
        ),
        rootEvent(
          '44444444-4444-4444-8444-444444444444',
          'CreateAccessKey',
          'iam.amazonaws.com',
          plus(logged, 120),
          false,
          {
            requestParameters: { userName: 'temp-admin' },
            responseElements: {
              accessKey: { userName: 'temp-admin', accessKeyId: 'AKIAEXAMPLEDRILL0001', status: 'Active' },
            },
          },
        ),
      ],
    }),
  );
}

async function openAftercare(app: RunningApp): Promise<void> {
  const { page } = app;
  await press(page.getByRole('button', { name: /Open after-care of DRILL/ }));
  await expect.poll(() => page.locator('h1').first().textContent()).toContain('After the glass');
  // The reconciliation is its own part of the after-care, after the 24-hour checklist.
  await press(page.getByTestId('aftercare-tab-reconcile'));
}

describe.runIf(chromiumAvailable())(
  'after-care: CloudTrail reconciliation timeline (real core, built renderer)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();

    it('shows a bad path next to the form, then reconciles and attaches: unexpected CreateAccessKey in red, journalled, in the postmortem', async () => {
      const dir = tempDir();
      const { dataDir, ceremonyId, trail } = await drillWithCloudTrail(dir);
      const app = await openApp(chromium(), dataDir);
      const { page } = app;
      try {
        mkdirSync(path.dirname(trail), { recursive: true });
        writeTrail(trail, app.core.journal.entries(ceremonyId));
        await openAftercare(app);
        const before = app.core.journal.head(ceremonyId)!.seq;

        // A path that does not exist: main's message names the file; nothing is journalled, nothing drawn.
        const missing = path.join(dir, 'evidence', 'no-such-cloudtrail.json');
        await typeInto(page.getByLabel('CloudTrail files (one absolute path per line, up to 10)'), missing);
        await press(page.getByTestId('reconcile-run'));
        await expect
          .poll(() => page.getByTestId('reconcile-error').textContent())
          .toContain(`${missing}: cannot read the CloudTrail file: no such file`);
        expect(await page.getByTestId('reconcile-result').count()).toBe(0);
        expect(app.core.journal.head(ceremonyId)!.seq).toBe(before);

        // The real file, reconciled and attached from the keyboard.
        await typeInto(page.getByLabel('CloudTrail files (one absolute path per line, up to 10)'), trail);
        await press(page.getByTestId('reconcile-attach'));
        await expect.poll(() => page.getByTestId('reconcile-attached').textContent()).toMatch(/entry #\d+/);
        expect(await page.getByTestId('reconcile-error').count()).toBe(0);

        const unexpected = timelineRow(page, 'unexpected', 'iam:CreateAccessKey');
        expect(await unexpected.count()).toBe(1);
        expect(await unexpected.textContent()).toContain('UNEXPECTED: not declared in the journal');
        expect(await unexpected.getAttribute('class')).toContain('mark-unexpected');
        // Highlighted red by the stylesheet (CSP allows no inline styles), not just labelled.
        expect(await unexpected.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(255, 107, 107)');
        expect(await unexpected.locator('.tl-badge').textContent()).toBe('CLOUDTRAIL');
        expect(await timelineRow(page, 'read-only', 'ec2:DescribeInstances').count()).toBe(1);
        const matched = timelineRow(page, 'matched', 'ec2:TerminateInstances');
        expect(await matched.count()).toBe(1);
        // The match links to the journal entry that declared it; following the link moves the focus there.
        await press(matched.getByRole('button', { name: /declared in journal entry #\d+/ }));
        const focused = await page.evaluate(() => ({
          id: document.activeElement?.id,
          text: document.activeElement?.querySelector('.tl-text')?.textContent,
        }));
        expect(focused.id).toMatch(/^tl-journal-\d+$/);
        expect(focused.text).toMatch(/^#\d+ logged: ran: aws ec2 terminate-instances --instance-ids i-0abc — matched/);
        expect(await page.getByTestId('count-unexpected').locator('dd').textContent()).toBe('1');
        expect(await page.getByTestId('count-matched').locator('dd').textContent()).toBe('1');
        expect(await page.getByTestId('count-readOnly').locator('dd').textContent()).toBe('1');
        expect(await page.getByTestId('count-readOnly').getAttribute('class')).toBe('count recon');
        expect(await page.getByTestId('count-unexpected').getAttribute('class')).toBe('count attention');
        expect(await page.getByTestId('count-accessKeysCreated').locator('dd').textContent()).toBe('1');
        expect(await page.getByTestId('count-declaredButMissing').locator('dd').textContent()).toBe('0');
        // One time axis: rows in time order, journal and CloudTrail interleaved.
        const times = await page
          .getByTestId('reconcile-timeline')
          .locator('time')
          .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
        expect(times).toEqual([...times].sort());
        expect(
          await page.getByTestId('reconcile-timeline').locator('li[data-source="journal"]').count(),
        ).toBeGreaterThan(5);
        // The section alone: the full after-care page is too tall to read the timeline in.
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page
          .getByTestId('reconcile')
          .screenshot({ path: path.join(SCREENSHOT_DIR, '30-reconcile-timeline.png') });

        // The journal got exactly the CLI's entry, and still verifies.
        const attached = app.core.journal.entries(ceremonyId).filter((e) => e.kind === 'reconciliation_attached');
        expect(attached).toHaveLength(1);
        const entry = attached[0]!;
        expect((await page.getByTestId('reconcile-attached').textContent())!).toContain(`entry #${entry.seq}`);
        expect(entry.payload).toMatchObject({
          summary: { matched: 1, unexpected: 1, read_only: 1, access_keys_created: 1, sign_in_seen: true },
          needs_attention: true,
        });
        expect(JSON.stringify(entry.payload.report)).toContain('44444444-4444-4444-8444-444444444444');
        expect(app.core.journal.verify(ceremonyId).ok).toBe(true);

        // The export now writes the postmortem with the unexpected event in it.
        await press(page.getByTestId('export'));
        await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
        const outDir = path.join(dataDir, EXPORTS_DIR);
        const postmortem = readdirSync(outDir).find((f) => f.endsWith('-postmortem.md'));
        expect(postmortem, readdirSync(outDir).join(', ')).toBeDefined();
        expect(readFileSync(path.join(outDir, postmortem!), 'utf8')).toContain('CreateAccessKey');
        // ...and the screen says where it is.
        expect(await page.getByTestId('exported-postmortem').textContent()).toContain(postmortem!);
        expect(app.blocked).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it('main refuses malformed reconcile arguments from the bridge and journals nothing', async () => {
      const dir = tempDir();
      const { dataDir, ceremonyId } = await drillWithCloudTrail(dir);
      const app = await openApp(chromium(), dataDir);
      try {
        const before = app.core.journal.entries(ceremonyId).length;
        const abs = path.join(dir, 'cloudtrail.json');
        const cases: Array<[unknown[], RegExp]> = [
          [[ceremonyId, { cloudtrail: ['relative/cloudtrail.json'], attach: false }], /absolute file path/],
          [[ceremonyId, { cloudtrail: [], attach: false }], /at least one CloudTrail file/],
          [
            [ceremonyId, { cloudtrail: Array.from({ length: 11 }, (_, i) => `/tmp/ct-${i}.json`), attach: false }],
            /at most 10/,
          ],
          [[ceremonyId, { cloudtrail: [abs], attach: 'yes' }], /attach/],
          [[ceremonyId, { cloudtrail: [abs] }], /attach/],
          [[ceremonyId, { cloudtrail: [abs], attach: true, bundle: '/tmp/other.bundle.json' }], /bundle|unrecognized/i],
          [[ceremonyId, { cloudtrail: [`/tmp/a\0b.json`], attach: false }], /NUL/],
          [['../etc', { cloudtrail: [abs], attach: true }], /ceremony id/],
          [[ceremonyId], /argument/],
        ];
        for (const [args, message] of cases) {
          const result = (await rawInvoke(app.page, 'ceremony:reconcile', args)) as {
            ok: boolean;
            error?: { code: string; message: string };
          };
          expect(result.ok, JSON.stringify(args)).toBe(false);
          expect(result.error?.code, JSON.stringify(args)).toBe('invalid-argument');
          expect(result.error?.message, JSON.stringify(args)).toMatch(message);
        }
        // Well-formed, but for a ceremony that is not in this journal.
        const unknown = (await rawInvoke(app.page, 'ceremony:reconcile', [
          'no-such-ceremony',
          { cloudtrail: [abs], attach: true },
        ])) as { ok: boolean; error?: { code: string } };
        expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
        expect(app.core.journal.entries(ceremonyId)).toHaveLength(before);
      } finally {
        await app.close();
      }
    });
  },
);
