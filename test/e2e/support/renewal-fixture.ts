// What the renewal tests start from and share: a first breakglass-role ceremony driven through the
// core (support/role-fixture.ts), optionally past its expiry or with a renewal already started,
// and the keyboard steps and bridge calls the renewal tests repeat.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Handlers } from '../../../src-main/ipc/handle';
import type { JournalEntry } from '../../../src-shared/journal/types';
import { ceremonyDriver } from '../../support/drive-ceremony';
import { movableClock, openApp, press, rawInvoke, typeInto, type RunningApp } from './core';
import { awsTime, driveRoleDrill, stsCredentials, utc } from './role-fixture';
import { box, heading, rail } from './screen';

export const ROLE_ARN = 'arn:aws:iam::039624954211:role/breakglass-emergency';
export const MINUTE = 60_000;
/** The Expiration as the journal keeps it. */
export const isoSeconds = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();

export type Result =
  { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
export const call = (page: Page, channel: string, args: unknown[]) => rawInvoke(page, channel, args) as Promise<Result>;

/** What `aws sts assume-role --output json --duration-seconds 3600` prints, with fresh keys for this run. */
export function assumeRoleOutput(expiresAt: number, sessionName: string): string {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return JSON.stringify(
    {
      Credentials: {
        AccessKeyId: `ASIA${[...randomBytes(16)].map((b) => base32[b % 32]).join('')}`,
        SecretAccessKey: randomBytes(30).toString('base64'),
        SessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(540).toString('base64')}`,
        Expiration: awsTime(expiresAt),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROAQXZ7EXAMPLEROLE42:${sessionName}`,
        Arn: `arn:aws:sts::039624954211:assumed-role/breakglass-emergency/${sessionName}`,
      },
    },
    null,
    4,
  );
}

/** Every ceremony in the journal with its head seq: equal before and after means nothing was journalled. */
export function journalShape(app: RunningApp): string[] {
  return app.core.journal
    .ceremonies()
    .map((c) => `${c.ceremony_id}@${app.core.journal.head(c.ceremony_id)!.seq}`)
    .sort();
}

/** The P0 role scenario's evidence, typed field by field; Enter records it. */
export async function fillRoleScenario(page: Page, incident: string, renewalJustification?: string): Promise<void> {
  await typeInto(box(page, 'P0 incident'), incident);
  await typeInto(
    box(page, 'What the standard role cannot do'),
    'DRILL: the platform role cannot terminate the runaway production instances',
  );
  await typeInto(box(page, 'Approver'), '@alice');
  await typeInto(box(page, 'Cleanup owner'), '@bob');
  // The field exists only on a renewal (a ceremony linked to an earlier one).
  if (renewalJustification !== undefined)
    await typeInto(box(page, 'Renewal justification (renewals only)'), renewalJustification);
  await typeInto(
    box(page, 'One-line reason (goes into the audit row)'),
    'DRILL: P0 runaway fleet needs the breakglass role to stop it',
  );
  await page.keyboard.press('Enter');
}

export async function recordRoleSession(page: Page, expiresAt: number, sessionName: string): Promise<void> {
  await expect.poll(() => heading(page).textContent()).toContain('3. Record the role session');
  await typeInto(box(page, 'aws sts assume-role output (JSON)'), assumeRoleOutput(expiresAt, sessionName));
  await press(page.getByRole('button', { name: 'Record the role session' }));
  // Recorded and locked with the tap in one action; the locked step opens read-only from the rail.
  await expect.poll(() => rail(page, 'role_session').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
  await press(rail(page, 'role_session').getByRole('button'));
  await expect
    .poll(() => page.getByTestId('role-session').textContent())
    .toContain(`expires ${utc(isoSeconds(expiresAt))}`);
  await press(page.getByRole('button', { name: 'Back to the current step' }));
}

/** Recorded and locked with the tap in one action (the scenario step). */
export async function scenarioLocked(page: Page): Promise<void> {
  await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
}

/**
 * The first role ceremony, through the core: started only (`started`), or with its session
 * recorded and locked (`role-session`); `pastExpiry` then moves the clock 61 minutes on, and
 * `renewal` also starts a renewal linked to it. The window opens on the start screen.
 */
export async function openFirstRole(
  browser: Browser,
  dataDir: string,
  stage: 'started' | 'role-session',
  options: { pastExpiry?: boolean; renewal?: boolean } = {},
) {
  const { clock, advanceMinutes } = movableClock();
  let renewalId = '';
  const prepare = async (handlers: Handlers) => {
    await driveRoleDrill(handlers, stage, { creds: stsCredentials(), clock, advanceMinutes });
    if (options.pastExpiry) advanceMinutes(61);
    if (!options.renewal) return;
    const first = (await ceremonyDriver(handlers).call<Array<{ ceremony_id: string }>>('ceremony:list'))[0]!
      .ceremony_id;
    const started = await ceremonyDriver(handlers).call<{ ceremony_id: string }>('ceremony:start', {
      type: 'breakglass-role',
      drill: true,
      linked_ceremony_id: first,
    });
    renewalId = started.ceremony_id;
  };
  const app = await openApp(browser, dataDir, { clock }, prepare);
  const ceremony = () => app.core.ceremony(true)!;
  const first = (await ceremony().list()).find((c) => c.ceremony_id !== renewalId)!.ceremony_id;
  const state = async (id: string) => {
    const s = await ceremony().getState(id);
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  };
  const entriesOf = (id: string): JournalEntry[] => app.core.journal.entries(id);
  return { app, page: app.page, dataDir, clock, advanceMinutes, ceremony, first, renewalId, state, entriesOf };
}

/** Runs the body with the window open, and closes it after. */
export async function withApp<T extends { app: RunningApp }>(t: T, body: (t: T) => Promise<void>): Promise<void> {
  try {
    await body(t);
    expect(t.app.blocked).toEqual([]);
  } finally {
    await t.app.close();
  }
}
