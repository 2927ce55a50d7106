import type { CDPSession, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, typeInto } from './support/core';
import { box, heading } from './support/screen';

/**
 * An accessibility and keyboard audit of every screen of a drill root-login ceremony, and of the
 * journal view, through the real renderer and the real core: names, headings, focus, the Tab
 * sequence, refusals, the progress rail. The CTO using this is under stress, on a locked-down
 * laptop, often on the keyboard only.
 *
 * The ten problems this audit first found (focus lost after a call, names run together, a
 * dangling aria-describedby, same-named fields, one refusal shown per founder, silent errors and
 * timer levels, no h1 in the journal view, tooltip-only information) are fixed; each check now
 * fails if its problem comes back. A new problem found but not fixed yet goes in KNOWN, which
 * lets exactly that one through and lists it as a todo.
 */
/** Problems found and not fixed yet (none at present): allowed through, listed as todos. */
const KNOWN: Record<string, string> = {};
type KnownProblem = string;

/** At most this many Tab presses from a screen's heading to its primary action. */
const MAX_TABS_TO_PRIMARY = 12;

/** One stop of the Tab sequence, described in the page. */
interface Stop {
  key: number;
  tag: string;
  what: string;
  visible: boolean;
  ringVisible: boolean;
}

/** Runs in the page: the focused element, a stable number for it, and whether you can see it and its focus ring. */
function describeActive(): Stop {
  const w = window as unknown as { __a11yIds?: WeakMap<Element, number>; __a11yNext?: number };
  const ids = (w.__a11yIds ??= new WeakMap());
  const el = document.activeElement ?? document.body;
  if (!ids.has(el)) ids.set(el, (w.__a11yNext = (w.__a11yNext ?? 0) + 1));
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const visible =
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }) &&
    r.width > 1 &&
    r.height > 1 &&
    r.right + window.scrollX > 0 &&
    r.bottom + window.scrollY > 0 &&
    el.closest('[aria-hidden="true"],[inert]') === null;
  const ringVisible = el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const testid = el.getAttribute('data-testid');
  const type = el.getAttribute('type');
  const text = (el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
  return { key: ids.get(el)!, tag: el.tagName, what: `${el.tagName.toLowerCase()}${type ? `[${type}]` : ''}${testid ? `#${testid}` : ''} "${text}"`, visible, ringVisible };
}

const active = (page: Page) => page.evaluate(describeActive);
const isActive = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Tabs once round the whole page (its Tab cycle), from wherever the focus is. */
async function tabCycle(page: Page, max = 200): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<number>();
  let sameRun = 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const s = await active(page);
    if (s.tag === 'BODY') continue;
    // A date-time field keeps the focus across its parts (day, month, year, hour, minute, AM/PM);
    // a page with a single stop repeats it for good.
    sameRun = stops.at(-1)?.key === s.key ? sameRun + 1 : 0;
    if (sameRun > 0 && sameRun < 8) continue;
    if (seen.has(s.key)) return stops;
    seen.add(s.key);
    stops.push(s);
  }
  throw new Error(`no Tab cycle within ${max} presses (a focus trap?): ${stops.map((s) => s.what).join(' | ')}`);
}

/** From the screen's heading (where a screen starts), Tab (or Shift+Tab) until `target` has the focus; the number of presses. */
async function tabFromHeading(page: Page, target: Locator, options: { back?: boolean; max?: number } = {}): Promise<number> {
  const max = options.max ?? 20;
  await heading(page).focus();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    if (await isActive(target)) return i;
  }
  throw new Error(`${String(target)} not reached with ${max} ${options.back ? 'Shift+Tab' : 'Tab'} presses from the heading`);
}

/** What the DOM says about names, headings, tabindex, references, images, refusals and the rail. */
interface DomAudit {
  h1s: string[];
  h1Focused: boolean;
  mains: number;
  unlabelledControls: string[];
  namelessButtons: string[];
  positiveTabindex: string[];
  danglingRefs: string[];
  duplicateIds: string[];
  imagesWithoutText: string[];
  refusalsNotAnnounced: string[];
  tablesWithoutHeaders: string[];
  headingLevelJumps: string[];
  titleOnly: string[];
  duplicateFileLabels: string[];
  lang: string;
  title: string;
  rail: Array<{ status: string | null; words: string; current: boolean; name: string }>;
}

async function domAudit(page: Page): Promise<DomAudit> {
  const unlabelledControls = await page.locator('input:not([type=hidden]),textarea,select').evaluateAll((els) =>
    els
      .filter((el) => {
        const c = el as HTMLInputElement;
        const byLabel = Array.from(c.labels ?? []).some((l) => (l.textContent ?? '').trim() !== '');
        const byAria = (c.getAttribute('aria-label') ?? '').trim() !== '';
        const byRef = (c.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .some((id) => (document.getElementById(id)?.textContent ?? '').trim() !== '');
        return !(byLabel || byAria || byRef);
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  const namelessButtons = await page
    .locator('button,[role=button],summary,input[type=button],input[type=submit],a[href]')
    .evaluateAll((els) =>
      els.filter((el) => ((el.getAttribute('aria-label') ?? '') + (el.textContent ?? '') + ((el as HTMLInputElement).value ?? '')).trim() === '').map((el) => el.outerHTML.slice(0, 120)),
    );
  const positiveTabindex = await page.locator('[tabindex]').evaluateAll((els) => els.filter((el) => (el as HTMLElement).tabIndex > 0).map((el) => el.outerHTML.slice(0, 120)));
  const rest = await page.evaluate(() => {
    const danglingRefs: string[] = [];
    for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-errormessage', 'for']) {
      for (const el of Array.from(document.querySelectorAll(`[${attr}]`))) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) danglingRefs.push(`${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()} ${attr}=${id}`);
        }
      }
    }
    const counts = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) counts.set(el.id, (counts.get(el.id) ?? 0) + 1);
    const imagesWithoutText = Array.from(document.querySelectorAll('img,svg,[role=img],input[type=image],area,canvas'))
      .filter((el) => {
        if (el.closest('[aria-hidden="true"]')) return false;
        if (el.tagName === 'IMG' || el.tagName === 'AREA' || el.tagName === 'INPUT') return !el.hasAttribute('alt');
        return (el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby') ?? el.querySelector('title')?.textContent ?? '').trim() === '';
      })
      .map((el) => el.outerHTML.slice(0, 120));
    const refusalsNotAnnounced = Array.from(document.querySelectorAll('.refusal,[data-testid=refusal]'))
      .filter((el) => !el.closest('[role=alert],[role=status],[role=alertdialog],[aria-live=assertive],[aria-live=polite]'))
      .map((el) => el.outerHTML.slice(0, 160));
    const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).filter((h) => h.getClientRects().length > 0).map((h) => ({ level: Number(h.tagName[1]), text: (h.textContent ?? '').trim() }));
    const headingLevelJumps = levels.filter((h, i) => i > 0 && h.level > levels[i - 1]!.level + 1).map((h) => `h${h.level} "${h.text}"`);
    // Information only in a tooltip: a title on something the keyboard cannot reach, saying more than its text.
    const titleOnly = Array.from(document.querySelectorAll('[title]'))
      .filter((el) => (el as HTMLElement).tabIndex < 0 && el.getAttribute('title')!.trim() !== '' && !(el.textContent ?? '').includes(el.getAttribute('title')!.trim()))
      .map((el) => `${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()} title="${el.getAttribute('title')!.slice(0, 60)}"`);
    const fileLabels = Array.from(document.querySelectorAll('input[type=file]')).map((el) => Array.from(((el as HTMLInputElement).labels ?? [])).map((l) => (l.textContent ?? '').trim()).join(' '));
    const duplicateFileLabels = [...new Set(fileLabels.filter((l, i) => fileLabels.indexOf(l) !== i))];
    const tablesWithoutHeaders = Array.from(document.querySelectorAll('table')).filter((t) => t.querySelectorAll('th').length === 0).map((t) => t.outerHTML.slice(0, 120));
    const rail = Array.from(document.querySelectorAll('nav li')).map((li) => {
      const button = li.querySelector('button');
      return {
        status: li.getAttribute('data-status'),
        words: (li.querySelector('.rail-status')?.textContent ?? '').trim(),
        current: button?.getAttribute('aria-current') === 'step',
        name: (button?.textContent ?? '').trim(),
      };
    });
    return {
      h1s: Array.from(document.querySelectorAll('h1')).map((h) => (h.textContent ?? '').trim()),
      h1Focused: document.activeElement?.tagName === 'H1',
      mains: document.querySelectorAll('main,[role=main]').length,
      danglingRefs,
      duplicateIds: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
      imagesWithoutText,
      refusalsNotAnnounced,
      tablesWithoutHeaders,
      headingLevelJumps,
      titleOnly,
      duplicateFileLabels,
      lang: document.documentElement.lang,
      title: document.title,
      rail,
    };
  });
  return { unlabelledControls, namelessButtons, positiveTabindex, ...rest };
}

/** Interactive roles that must carry a name in the accessibility tree (Chromium's own name computation). */
const MUST_BE_NAMED = new Set(['button', 'checkbox', 'radio', 'textbox', 'searchbox', 'spinbutton', 'combobox', 'listbox', 'slider', 'switch', 'link', 'menuitem', 'tab', 'DisclosureTriangle', 'dialog', 'alertdialog', 'navigation']);
const FORM_FIELDS = new Set(['checkbox', 'radio', 'textbox', 'searchbox', 'spinbutton', 'combobox', 'listbox', 'slider', 'switch']);

interface AxAudit {
  unnamed: string[];
  /** Form fields whose accessible name is the same as another field's on the screen. */
  duplicateFieldNames: string[];
  headings: string[];
  buttons: string[];
  alerts: number;
}

async function axAudit(cdp: CDPSession): Promise<AxAudit> {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const live = nodes.filter((n) => !n.ignored);
  const role = (n: (typeof nodes)[number]) => String(n.role?.value ?? '');
  const name = (n: (typeof nodes)[number]) => String(n.name?.value ?? '').trim();
  const unnamed: string[] = [];
  for (const n of live.filter((x) => MUST_BE_NAMED.has(role(x)) && name(x) === '')) {
    const described = n.backendDOMNodeId ? await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId }) : null;
    unnamed.push(`${role(n)} <${described?.node.nodeName.toLowerCase() ?? '?'} ${(described?.node.attributes ?? []).join(' ')}>`);
  }
  const fieldNames = new Map<string, number>();
  for (const n of live.filter((x) => FORM_FIELDS.has(role(x)))) fieldNames.set(`${role(n)}: ${name(n)}`, (fieldNames.get(`${role(n)}: ${name(n)}`) ?? 0) + 1);
  return {
    unnamed,
    duplicateFieldNames: [...fieldNames].filter(([, c]) => c > 1).map(([n]) => n),
    headings: live.filter((n) => role(n) === 'heading').map(name),
    buttons: live.filter((n) => role(n) === 'button').map(name),
    alerts: live.filter((n) => role(n) === 'alert').length,
  };
}

/** Statuses in the rail and the words that say them (colour and the CSS tick are extra). */
const RAIL_WORDS: Record<string, RegExp> = { pending: /^not yet$/, open: /^now$/, done: /^(recorded, tap to lock|done)$/, locked: /^locked$/, blocked: /^blocked$/ };

describe.runIf(chromiumAvailable())('keyboard and labels: every screen of a drill root-login ceremony and the journal view (real renderer, real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('names every control, focuses each heading, reaches each primary action by Tab and Enter, announces refusals and keeps the focus', { timeout: 120_000 }, async ({ annotate }) => {
    const { clock, advanceMinutes } = movableClock();
    const app = await openApp(chromium(), tempDir(), { clock });
    const { page } = app;
    const cdp = await page.context().newCDPSession(page);
    const seen = new Map<KnownProblem, string[]>();
    // Problems this audit found and the app has since fixed: seeing one again fails the test.
    const regression = (problem: string, where: string): never => {
      throw new Error(`accessibility regression (${problem}): ${where}`);
    };
    const tabs: Record<string, number> = {};

    /** Tab from the heading to a primary action (bounded), then activate it from the keyboard. */
    const reachAndPress = async (label: string, target: Locator, key: 'Enter' | 'Space' = 'Enter') => {
      tabs[label] = await tabFromHeading(page, target);
      expect(tabs[label], `${label}: Tab presses from the heading`).toBeLessThanOrEqual(MAX_TABS_TO_PRIMARY);
      await page.keyboard.press(key);
    };

    /** Everything that must hold on any screen; `screen` names it in the messages. */
    const audit = async (screen: string, title: string | null, options: { headingFocused?: boolean } = {}) => {
      const dom = await domAudit(page);
      const ax = await axAudit(cdp);
      if (title === null) {
        if (dom.h1s.length === 0) regression('journalHasNoH1', screen);
        else expect(dom.h1s, `${screen}: one h1`).toHaveLength(1);
      } else {
        expect(dom.h1s, `${screen}: exactly one h1`).toHaveLength(1);
        expect(dom.h1s[0], `${screen}: the h1`).toContain(title);
        if (options.headingFocused !== false) expect(dom.h1Focused, `${screen}: the h1 has the focus when the screen appears (focused: ${(await active(page)).what})`).toBe(true);
        if (/DRILL\S/.test(dom.h1s[0]!)) regression('namesRunTogether', `${screen} heading "${dom.h1s[0]}"`);
      }
      expect(dom.mains, `${screen}: one main landmark`).toBe(1);
      expect(dom.lang, `${screen}: the page language`).toBe('en');
      expect(dom.title, `${screen}: the window title`).toBe('Breakglass');
      expect(dom.headingLevelJumps, `${screen}: headings that skip a level`).toEqual([]);
      for (const t of dom.titleOnly) if (/^(config-path|key-status) /.test(t)) regression('titleOnlyInformation', `${screen}: ${t}`);
      expect(dom.titleOnly.filter((t) => !/^(config-path|key-status) /.test(t)), `${screen}: information only in a tooltip`).toEqual([]);
      for (const l of dom.duplicateFileLabels) if (l.startsWith('Attach a file')) regression('ambiguousFieldNames', `${screen}: file: ${l}`);
      expect(dom.duplicateFileLabels.filter((l) => !l.startsWith('Attach a file')), `${screen}: file fields sharing a label`).toEqual([]);
      expect(dom.unlabelledControls, `${screen}: inputs, textareas and selects without a label`).toEqual([]);
      expect(dom.namelessButtons, `${screen}: buttons without a name`).toEqual([]);
      expect(ax.unnamed, `${screen}: controls without an accessible name (accessibility tree)`).toEqual([]);
      expect(ax.buttons.filter((b) => b === ''), `${screen}: buttons with an empty accessible name`).toEqual([]);
      expect(dom.positiveTabindex, `${screen}: positive tabindex`).toEqual([]);
      expect(dom.duplicateIds, `${screen}: duplicate ids`).toEqual([]);
      expect(dom.imagesWithoutText, `${screen}: images or icons without a text alternative`).toEqual([]);
      expect(dom.tablesWithoutHeaders, `${screen}: tables without th`).toEqual([]);
      for (const d of dom.danglingRefs) if (/^lock-step aria-describedby=lock-\w+-why$/.test(d)) regression('danglingDescribedBy', `${screen}: ${d}`);
      expect(dom.danglingRefs.filter((d) => !/^lock-step aria-describedby=lock-\w+-why$/.test(d)), `${screen}: references to missing ids`).toEqual([]);
      const ambiguous = /^(textbox: When \(leave empty for now\)|radio: (Text|Call)|textbox: Evidence|button: Attach a file.*|textbox: Signed off by.*)$/;
      for (const d of ax.duplicateFieldNames) if (ambiguous.test(d)) regression('ambiguousFieldNames', `${screen}: ${d}`);
      expect(ax.duplicateFieldNames.filter((d) => !ambiguous.test(d)), `${screen}: fields sharing a name`).toEqual([]);
      expect(dom.refusalsNotAnnounced, `${screen}: refusals that are not announced (role=alert or aria-live)`).toEqual([]);
      // The rail: every step says its status in words, the current one is marked for assistive technology.
      for (const r of dom.rail) {
        expect(r.words, `${screen}: rail step "${r.name}" says its status in words`).not.toBe('');
        if (r.status) expect(r.words, `${screen}: rail words for status ${r.status}`).toMatch(RAIL_WORDS[r.status]!);
        if (/^\d\S/.test(r.name) || /[a-z](now|locked|not yet|done|recorded)$/.test(r.name)) regression('namesRunTogether', `${screen} rail "${r.name}"`);
      }
      expect(dom.rail.filter((r) => r.current).length, `${screen}: steps marked aria-current`).toBeLessThanOrEqual(1);
      // The Tab cycle: every stop visible, with a visible focus ring; the journal toggle is always in it.
      const cycle = await tabCycle(page);
      expect(cycle.filter((s) => !s.visible).map((s) => s.what), `${screen}: focusable but not visible`).toEqual([]);
      expect(cycle.filter((s) => !s.ringVisible).map((s) => s.what), `${screen}: focus ring not visible`).toEqual([]);
      expect(cycle.some((s) => /"(Journal|Back to the ceremony)"/.test(s.what)), `${screen}: the journal toggle is in the Tab cycle`).toBe(true);
      return { dom, ax, cycle };
    };

    /**
     * After a refused submit: the reason is in a role="alert" next to the control that was used,
     * and the focus stayed on that control (a field keeps it; a busy-disabled button may not: known).
     */
    const refused = async (screen: string, used: Locator) => {
      await expect.poll(() => page.getByTestId('refusal').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const refusals = page.getByTestId('refusal');
      const count = await refusals.count();
      for (let i = 0; i < count; i++) {
        expect(await refusals.nth(i).getAttribute('role'), `${screen}: refusal role`).toBe('alert');
        expect((await refusals.nth(i).textContent())!.trim(), `${screen}: refusal says why`).toMatch(/^Not recorded\. \S/);
      }
      if (count > 1 && screen.startsWith('notify')) regression('refusalUnderEveryFounder', `${screen}: ${count} refusals for one submit`);
      else expect(count, `${screen}: one refusal`).toBe(1);
      expect((await axAudit(cdp)).alerts, `${screen}: the refusal is an alert in the accessibility tree`).toBeGreaterThan(0);
      await expect.poll(async () => (await active(page)).tag, { timeout: 2000 }).not.toBe('BODY').catch(() => undefined);
      const focus = await active(page);
      const tag = await used.evaluate((el) => el.tagName);
      if (focus.tag === 'BODY' && tag === 'BUTTON') regression('focusAfterBusySubmit', `${screen}: refused submit by the button`);
      else expect(await isActive(used), `${screen}: the focus stays on the control used (it is on ${focus.what})`).toBe(true);
      // The reason is shown in the form that was used.
      expect(await used.evaluate((el) => (el as HTMLInputElement).form?.querySelector('[data-testid=refusal]') !== null), `${screen}: the refusal is next to the control`).toBe(true);
    };

    /** After a successful submit by a button pressed from the keyboard: where is the focus? */
    const focusAfterButton = async (screen: string) => {
      // The focus comes back a frame after the call ends (FocusKeeper): give it that frame.
      await expect.poll(async () => (await active(page)).tag, { timeout: 2000 }).not.toBe('BODY').catch(() => undefined);
      const focus = await active(page);
      if (focus.tag === 'BODY') regression('focusAfterBusySubmit', `${screen}: after a successful submit by the button`);
      else expect(focus.visible, `${screen}: the focus after submitting is visible (${focus.what})`).toBe(true);
    };

    /** The journal view, opened and closed with the keyboard from the status bar, Shift+Tab from the heading. */
    const journalByKeyboard = async (screen: string, backTo: string) => {
      const toggle = page.getByRole('button', { name: 'Journal', exact: true });
      tabs[`journal from ${screen}`] = await tabFromHeading(page, toggle, { back: true, max: 15 });
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await page.keyboard.press('Enter');
      const back = page.getByRole('button', { name: 'Back to the ceremony', exact: true });
      await expect.poll(() => back.count()).toBe(1);
      await expect.poll(() => page.locator('#journal-heading').isVisible()).toBe(true);
      expect(await back.getAttribute('aria-pressed')).toBe('true');
      expect(await isActive(back), `journal (${screen}): the focus stays on the toggle (it is on ${(await active(page)).what})`).toBe(true);
      expect(await page.getByRole('heading', { name: 'Journal', exact: true }).count()).toBe(1);
      // Everything a screen must do, and: a table, if there is one, has header cells (today it is a list).
      await audit(`journal (${screen})`, null);
      await back.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => heading(page).textContent()).toContain(backTo);
      expect(await heading(page).evaluate((el) => el === document.activeElement), `journal (${screen}): closing it gives the focus to the screen's heading`).toBe(true);
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    };

    try {
      // Start.
      await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
      await audit('start', 'Break glass');
      await journalByKeyboard('start', 'Break glass');
      const modes = page.getByRole('group', { name: 'Real or drill?' });
      expect(await modes.getByRole('radio').count()).toBe(2);
      expect(await page.getByRole('group', { name: 'Which runbook?' }).getByRole('radio').count()).toBe(2);
      await reachAndPress('enrol the drill key', page.getByTestId('enrol-primary'));
      // The touch prompt is up for a moment only (the drill key touches itself): read it in one go.
      const prompt = await page.waitForFunction(
        () => {
          const d = document.querySelector('[data-testid=touch-prompt]');
          if (!d) return null;
          const label = document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent ?? '';
          return { role: d.getAttribute('role'), label: label.trim(), focused: document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null };
        },
        undefined,
        { polling: 'raf', timeout: 10_000 },
      );
      expect(await prompt.jsonValue()).toEqual({ role: 'alertdialog', label: 'Touch your key now', focused: 'simulate-touch' });
      await expect.poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 }).toContain('primary: virtual key');
      await expect.poll(() => page.getByTestId('touch-prompt').count()).toBe(0);
      // The focus comes back a frame after the call ends (FocusKeeper): give it that frame.
      await expect.poll(async () => (await active(page)).tag, { timeout: 2000 }).not.toBe('BODY').catch(() => undefined);
      if ((await active(page)).tag === 'BODY') regression('focusAfterTouch', 'start: after enrolling the primary drill key');
      else expect((await active(page)).visible).toBe(true);
      await reachAndPress('start the drill', page.getByTestId('start'));

      // 1. Scenario.
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      await audit('scenario', '1. Is break-glass authorised?');
      expect(await page.getByRole('group', { name: 'Authorised scenario' }).getByRole('radio').count()).toBeGreaterThan(0);
      const record = page.getByTestId('record-scenario');
      // A refused submit by the button, with the core as slow as a real one (the call spans frames).
      const selectScenario = app.handlers['ceremony:selectScenario'];
      app.handlers['ceremony:selectScenario'] = async (...args) => {
        await new Promise((r) => setTimeout(r, 150));
        return selectScenario(...args);
      };
      await reachAndPress('record the scenario (refused)', record);
      await refused('scenario (button)', record);
      app.handlers['ceremony:selectScenario'] = selectScenario;
      // A refused submit by Enter in a field keeps the focus in the field.
      const reason = box(page, 'One-line reason (goes into the audit row)');
      await typeInto(reason, '.');
      await page.keyboard.press('Enter');
      await refused('scenario (field)', reason);
      // The IdP is a choice and its region comes from the configuration; the time is picked.
      expect(await page.getByRole('radio', { name: 'aws-identity-center' }).isChecked()).toBe(true);
      await typeInto(box(page, 'Exact error text'), 'DRILL: IAM Identity Center portal returns HTTP 503 for every user');
      // The time choices are one radio group: Tab into it, arrows to "3 h ago" (arrows select).
      await reachAndPress('last good SSO login: 15 min ago', page.getByTestId('ev-last_good_sso_login_at-ago-15'), 'Space');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await page.getByTestId('ev-last_good_sso_login_at-ago-180').isChecked()).toBe(true);
      await typeInto(box(page, 'SEV-0 incident'), 'INC-DRILL-001');
      await typeInto(reason, 'DRILL: production database failover needs AWS API access now');
      // Recorded and locked with the tap in one action.
      await reachAndPress('record and lock the scenario', record);
      await expect.poll(() => page.getByTestId('rail-scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

      // 2. SSO.
      await expect.poll(() => heading(page).textContent()).toContain('2. Confirm SSO');
      await audit('sso', '2. Confirm SSO is unavailable');
      await reachAndPress('try SSO once', page.getByTestId('probe-sso'));

      // 3. Notify.
      await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      await audit('notify', '3. Notify the founders before invoking');
      const code = (await page.getByTestId('witness-notify').locator('.witness-words').getAttribute('aria-label'))!;
      expect(code).toMatch(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+ \d+$/);
      // One press per founder; the last one also locks the step with the tap.
      await reachAndPress('acknowledged (asad)', page.getByTestId('acked-asad'));
      await expect.poll(() => page.getByTestId('founder-asad').getByTestId('founder-status').textContent()).toContain(`code given: ${code}`);
      await focusAfterButton('notify (asad)');
      // The next action (Ian's acknowledgement) has the focus.
      await expect.poll(() => isActive(page.getByTestId('acked-ian'))).toBe(true);
      await audit('notify, one recorded', '3. Notify the founders before invoking', { headingFocused: false });
      await reachAndPress('acknowledged (ian), record and lock', page.getByTestId('acked-ian'));
      await expect.poll(() => page.getByTestId('rail-notify').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

      // 4. Sign in.
      await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');
      await audit('sign in', '4. Sign in to the AWS console');
      const accounts = page.getByTestId('accounts');
      expect((await accounts.locator('caption').textContent())!.trim()).not.toBe('');
      expect(await accounts.locator('thead th[scope=col]').count()).toBe(await accounts.locator('thead th').count());
      expect(await accounts.locator('thead th').count()).toBeGreaterThanOrEqual(3);
      // One button per account: it selects the account and opens the console (a drill opens nothing).
      await reachAndPress('use Production', page.getByTestId('open-console-Production'));
      await expect.poll(() => page.getByTestId('selected-account').textContent()).toContain('039624954211');
      expect(await page.getByTestId('console-opened').getAttribute('role')).toBe('status');
      expect(app.opened).toEqual([]);
      // The next action has the focus.
      await expect.poll(() => isActive(page.getByTestId('record-sign-in'))).toBe(true);
      await page.keyboard.press('Shift+Tab');
      await page.locator('summary', { hasText: 'IP address and browser (optional)' }).press('Enter');
      const ip = box(page, 'Your current IP address (optional)');
      await typeInto(ip, 'not-an-ip');
      await page.keyboard.press('Enter');
      await refused('sign in (field)', ip);
      await typeInto(ip, '203.0.113.7');
      await audit('sign in, account chosen', '4. Sign in to the AWS console', { headingFocused: false });
      await reachAndPress('record and lock the sign-in', page.getByTestId('record-sign-in'));
      await expect.poll(() => page.getByTestId('rail-sign_in').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

      // 5. Audit row.
      await expect.poll(() => heading(page).textContent()).toContain('5. Write the agent_audit_log row');
      await audit('audit row', '5. Write the agent_audit_log row');
      expect(await page.getByRole('spinbutton', { name: 'Expected session duration (minutes)' }).count()).toBe(1);
      const channel = box(page, 'Incident channel');
      await typeInto(channel, 'slack');
      await page.keyboard.press('Enter');
      await refused('audit row (field)', channel);
      await typeInto(page.getByLabel('Expected session duration (minutes)', { exact: true }), '10');
      await typeInto(channel, 'NA');
      await reachAndPress('write and lock the audit row', page.getByTestId('write-audit-row'));
      await expect.poll(() => page.getByTestId('rail-audit_row').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

      // 6. Minimal action.
      await expect.poll(() => heading(page).textContent()).toContain('6. Minimal action only');
      const actionField = box(page, 'What you ran or did (Enter records it)');
      await audit('minimal action', '6. Minimal action only');
      expect(await page.getByRole('timer').count()).toBe(1);
      expect((await page.getByTestId('timer').locator('.timer-words').textContent())!.trim(), 'the timer says its level in words').toBe('within the expected time');
      await typeInto(actionField, 'ran: aws ec2 terminate-instances --instance-ids i-0abc');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:TerminateInstances');
      expect(await isActive(actionField), 'minimal action: Enter in the field keeps the focus there').toBe(true);
      advanceMinutes(11);
      await typeInto(actionField, 'ran: aws iam create-access-key --user-name temp-admin');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('action-log').locator('.anti-pattern').count()).toBeGreaterThan(0);
      // The warning is said with its level, in words, in the log and in the warnings above the screen.
      expect(await page.getByTestId('action-log').locator('.anti-pattern').first().textContent(), 'an anti-pattern says its level in words').toMatch(/^Must fix: /);
      expect(await page.getByTestId('core-warnings').getAttribute('aria-label')).toBe('Warnings');
      await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('warning');
      expect((await page.getByTestId('timer').locator('.timer-words').textContent())!, 'the timer level is said in words, not only colour').toContain('over the expected time');
      const announced = await page.evaluate(() =>
        Array.from(document.querySelectorAll('[role=alert],[role=status],[aria-live=polite],[aria-live=assertive]')).some((el) => el.getAttribute('aria-live') !== 'off' && /over the expected time/.test(el.textContent ?? '')),
      );
      if (!announced) regression('timerLevelSilent', `minimal action: timer ${await page.getByTestId('timer').getAttribute('aria-live') === 'off' ? 'aria-live="off"' : 'not live'}, level warning`);
      const summary = box(page, 'One-line summary of what was done');
      await typeInto(summary, 'x');
      await page.keyboard.press('Enter');
      await refused('minimal action (field)', summary);
      await typeInto(summary, 'DRILL: terminated the runaway instance i-0abc');
      await reachAndPress('the minimal action is done', page.getByTestId('finish-action'));

      // 7. Sign out.
      await expect.poll(() => heading(page).textContent()).toContain('7. Sign out');
      await audit('sign out', '7. Sign out');
      const back = box(page, 'Expected return to normal');
      await typeInto(back, 'DRILL: SSO expected back by 14:00 UTC');
      await reachAndPress('record and lock the sign-out', page.getByTestId('record-sign-out'));

      // After the glass.
      await expect.poll(() => heading(page).textContent(), { timeout: 15_000 }).toContain('After the glass');
      await audit('after-care', 'After the glass');
      await reachAndPress('export the bundle', page.getByTestId('export'));
      await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
      expect(await page.getByRole('textbox', { name: 'Session log (edit, then commit it under docs/session-log/)' }).count()).toBe(1);
      const item = page.getByTestId('check-root.session-log');
      const evidence = item.getByRole('textbox', { name: /^Evidence \(/ });
      await typeInto(evidence, 'x');
      await page.keyboard.press('Enter');
      await refused('after-care (field)', evidence);
      await typeInto(evidence, 'DRILL: session log committed as docs/session-log/drill.md');
      await page.keyboard.press('Enter');
      await expect.poll(() => item.getAttribute('data-state')).toBe('done');
      expect((await item.locator('.check-state').textContent())!.trim(), 'a checklist item says its state in words').toBe('done');
      await audit('after-care, evidence recorded', 'After the glass', { headingFocused: false });
      await journalByKeyboard('after-care', 'After the glass');
      expect(await page.getByTestId('rail-aftercare').locator('.rail-status').textContent()).toBe('now');
      expect(app.blocked).toEqual([]);
    } finally {
      for (const [problem, where] of seen) await annotate(`known problem ${problem}: ${KNOWN[problem]} — seen at: ${[...new Set(where)].join('; ')}`, 'warning');
      await annotate(`Tab presses from the heading: ${JSON.stringify(tabs)}`, 'notice');
      await app.close();
    }
  });

  // The problems above, one by one: they are product fixes, not test changes.
  for (const text of Object.values(KNOWN)) it.todo(text);
});
