import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { RunningApp } from './core';
import { SSO_DOWN } from './scenarios';

/** The three sizes of the walkthrough: a laptop, 1024 wide, and the window's minimum. */
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 640 },
  { width: 800, height: 600 },
] as const;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA violations on the page as it is now (rule id and the first target). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, so the page's CSP (script-src 'self') does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes[0]?.target)} (+${v.nodes.length - 1})`);
  });
}

/**
 * What breaks a layout at a size: a page wider than the window (sideways scroll), and text
 * squeezed into a column so narrow it wraps a word per line or worse (anything with 12+
 * characters of its own text in a box under 6 em wide).
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push(`sideways scroll: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (own.length < 12) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 2 || rect.height <= 2) continue; // screen-reader-only text
      const em = parseFloat(getComputedStyle(el).fontSize);
      if (rect.width < 6 * em)
        out.push(`squeezed (${Math.round(rect.width)}px): ${el.tagName.toLowerCase()} "${own.slice(0, 30)}"`);
    }
    return out;
  });
}

/** The mode, step and timer bar is on screen even after scrolling to the bottom. */
export async function modeBarStuck(page: Page): Promise<boolean> {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const stuck = await page.getByTestId('mode-bar').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.top < 5 && r.height > 0;
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  return stuck;
}

/** At each of the three sizes: axe clean, no broken layout, the mode bar stuck; then `check`. */
export async function atEverySize(page: Page, check?: (size: (typeof SIZES)[number]) => Promise<void>): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    expect(await axeViolations(page), `axe at ${size.width}×${size.height}`).toEqual([]);
    expect(await layoutProblems(page), `layout at ${size.width}×${size.height}`).toEqual([]);
    expect(await modeBarStuck(page), `mode bar at ${size.width}×${size.height}`).toBe(true);
    if (check) await check(size);
  }
}

/** Where a ceremony is driven to through the real handlers (fast), before the screen under test. */
export type Until =
  'scenario' | 'sso_probe' | 'notify' | 'sign_in' | 'audit_row' | 'minimal_action' | 'sign_out' | 'aftercare';
const ORDER: Until[] = [
  'scenario',
  'sso_probe',
  'notify',
  'sign_in',
  'audit_row',
  'minimal_action',
  'sign_out',
  'aftercare',
];

/** A drill root-login ceremony (SSO down) driven through main's handlers up to `until`; returns its id. */
export async function rootCeremonyAt(app: RunningApp, until: Until): Promise<string> {
  const h = app.handlers;
  const reached = (step: Until) => ORDER.indexOf(until) > ORDER.indexOf(step);
  const status = await h['key:status']({ drill: true });
  if (status.enrolled.length === 0) await h['key:enrol']({ drill: true, label: 'primary' });
  const id = (await h['ceremony:start']({ type: 'root-login', drill: true })).ceremony_id;
  if (reached('scenario')) {
    await h['ceremony:selectScenario'](id, SSO_DOWN(app.core.clock()));
    await h['ceremony:lockStep'](id, { step: 'scenario' });
  }
  if (reached('sso_probe')) await h['ceremony:probeSso'](id, {});
  if (reached('notify')) {
    for (const f of ['asad', 'ian'])
      await h['ceremony:notifyFounder'](id, { contact_id: f, channel: 'text', acknowledged: true });
    await h['ceremony:lockStep'](id, { step: 'notify' });
  }
  if (reached('sign_in')) {
    await h['ceremony:selectAccount'](id, { account_name: 'Production' });
    await h['ceremony:recordSignIn'](id, { ip_address: '203.0.113.7' });
    await h['ceremony:lockStep'](id, { step: 'sign_in' });
  }
  if (reached('audit_row')) {
    await h['ceremony:writeAuditRow'](id, { incident_channel: 'NA', expected_session_duration_minutes: 15 });
    await h['ceremony:lockStep'](id, { step: 'audit_row' });
  }
  if (reached('minimal_action')) {
    await h['ceremony:logAction'](id, { text: 'ran: aws ec2 stop-instances --instance-ids i-0abc1234def567890' });
    await h['ceremony:finishMinimalAction'](id, { summary: 'DRILL: stopped the runaway instance' });
  }
  if (reached('sign_out')) {
    await h['ceremony:recordSignOut'](id, {});
    await h['ceremony:lockStep'](id, { step: 'sign_out' });
  }
  return id;
}

/** Opens a ceremony from the start screen as the person would (nothing opens by itself). */
export async function openFromStart(page: Page, id: string): Promise<void> {
  await page.evaluate(() => undefined);
  const row = page.getByTestId(`unfinished-${id}`);
  if (await row.count()) await row.getByTestId('resume').click();
  else await page.getByRole('button', { name: new RegExp(`Open after-care of .*${id}`) }).click();
  await expect.poll(() => page.locator('main section.screen').getAttribute('data-screen')).not.toBe('start');
}
