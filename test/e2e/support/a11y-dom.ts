// What the DOM and Chromium's accessibility tree say about the screen on show, and the Tab
// sequence: the measurements behind the keyboard audit (a11y-audit.ts holds the checks).
import type { CDPSession, Locator, Page } from 'playwright-core';
import { heading } from './screen';

/** One stop of the Tab sequence, described in the page. */
export interface Stop {
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
  const ringVisible =
    el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const testid = el.getAttribute('data-testid');
  const type = el.getAttribute('type');
  const text = (
    el.getAttribute('aria-label') ??
    (el as HTMLInputElement).labels?.[0]?.textContent ??
    el.textContent ??
    ''
  )
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, 50);
  return {
    key: ids.get(el)!,
    tag: el.tagName,
    what: `${el.tagName.toLowerCase()}${type ? `[${type}]` : ''}${testid ? `#${testid}` : ''} "${text}"`,
    visible,
    ringVisible,
  };
}

export const active = (page: Page) => page.evaluate(describeActive);
export const isActive = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Tabs once round the whole page (its Tab cycle), from wherever the focus is. */
export async function tabCycle(page: Page, max = 200): Promise<Stop[]> {
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
export async function tabFromHeading(
  page: Page,
  target: Locator,
  options: { back?: boolean; max?: number } = {},
): Promise<number> {
  const max = options.max ?? 20;
  await heading(page).focus();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    if (await isActive(target)) return i;
  }
  throw new Error(
    `${String(target)} not reached with ${max} ${options.back ? 'Shift+Tab' : 'Tab'} presses from the heading`,
  );
}

/** What the DOM says about names, headings, tabindex, references, images, refusals and the rail. */
export interface DomAudit {
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

export async function domAudit(page: Page): Promise<DomAudit> {
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
      els
        .filter(
          (el) =>
            (
              (el.getAttribute('aria-label') ?? '') +
              (el.textContent ?? '') +
              ((el as HTMLInputElement).value ?? '')
            ).trim() === '',
        )
        .map((el) => el.outerHTML.slice(0, 120)),
    );
  const positiveTabindex = await page
    .locator('[tabindex]')
    .evaluateAll((els) => els.filter((el) => (el as HTMLElement).tabIndex > 0).map((el) => el.outerHTML.slice(0, 120)));
  const rest = await page.evaluate(() => {
    const danglingRefs: string[] = [];
    for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-errormessage', 'for']) {
      for (const el of Array.from(document.querySelectorAll(`[${attr}]`))) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id))
            danglingRefs.push(`${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()} ${attr}=${id}`);
        }
      }
    }
    const counts = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) counts.set(el.id, (counts.get(el.id) ?? 0) + 1);
    const imagesWithoutText = Array.from(document.querySelectorAll('img,svg,[role=img],input[type=image],area,canvas'))
      .filter((el) => {
        if (el.closest('[aria-hidden="true"]')) return false;
        if (el.tagName === 'IMG' || el.tagName === 'AREA' || el.tagName === 'INPUT') return !el.hasAttribute('alt');
        return (
          (
            el.getAttribute('aria-label') ??
            el.getAttribute('aria-labelledby') ??
            el.querySelector('title')?.textContent ??
            ''
          ).trim() === ''
        );
      })
      .map((el) => el.outerHTML.slice(0, 120));
    const refusalsNotAnnounced = Array.from(document.querySelectorAll('.refusal,[data-testid=refusal]'))
      .filter(
        (el) => !el.closest('[role=alert],[role=status],[role=alertdialog],[aria-live=assertive],[aria-live=polite]'),
      )
      .map((el) => el.outerHTML.slice(0, 160));
    const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
      .filter((h) => h.getClientRects().length > 0)
      .map((h) => ({ level: Number(h.tagName[1]), text: (h.textContent ?? '').trim() }));
    const headingLevelJumps = levels
      .filter((h, i) => i > 0 && h.level > levels[i - 1]!.level + 1)
      .map((h) => `h${h.level} "${h.text}"`);
    // Information only in a tooltip: a title on something the keyboard cannot reach, saying more than its text.
    const titleOnly = Array.from(document.querySelectorAll('[title]'))
      .filter(
        (el) =>
          (el as HTMLElement).tabIndex < 0 &&
          el.getAttribute('title')!.trim() !== '' &&
          !(el.textContent ?? '').includes(el.getAttribute('title')!.trim()),
      )
      .map(
        (el) =>
          `${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()} title="${el.getAttribute('title')!.slice(0, 60)}"`,
      );
    const fileLabels = Array.from(document.querySelectorAll('input[type=file]')).map((el) =>
      Array.from((el as HTMLInputElement).labels ?? [])
        .map((l) => (l.textContent ?? '').trim())
        .join(' '),
    );
    const duplicateFileLabels = [...new Set(fileLabels.filter((l, i) => fileLabels.indexOf(l) !== i))];
    const tablesWithoutHeaders = Array.from(document.querySelectorAll('table'))
      .filter((t) => t.querySelectorAll('th').length === 0)
      .map((t) => t.outerHTML.slice(0, 120));
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
const MUST_BE_NAMED = new Set([
  'button',
  'checkbox',
  'radio',
  'textbox',
  'searchbox',
  'spinbutton',
  'combobox',
  'listbox',
  'slider',
  'switch',
  'link',
  'menuitem',
  'tab',
  'DisclosureTriangle',
  'dialog',
  'alertdialog',
  'navigation',
]);
const FORM_FIELDS = new Set([
  'checkbox',
  'radio',
  'textbox',
  'searchbox',
  'spinbutton',
  'combobox',
  'listbox',
  'slider',
  'switch',
]);

export interface AxAudit {
  unnamed: string[];
  /** Form fields whose accessible name is the same as another field's on the screen. */
  duplicateFieldNames: string[];
  headings: string[];
  buttons: string[];
  alerts: number;
}

export async function axAudit(cdp: CDPSession): Promise<AxAudit> {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const live = nodes.filter((n) => !n.ignored);
  const role = (n: (typeof nodes)[number]) => String(n.role?.value ?? '');
  const name = (n: (typeof nodes)[number]) => String(n.name?.value ?? '').trim();
  const unnamed: string[] = [];
  for (const n of live.filter((x) => MUST_BE_NAMED.has(role(x)) && name(x) === '')) {
    const described = n.backendDOMNodeId
      ? await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId })
      : null;
    unnamed.push(
      `${role(n)} <${described?.node.nodeName.toLowerCase() ?? '?'} ${(described?.node.attributes ?? []).join(' ')}>`,
    );
  }
  const fieldNames = new Map<string, number>();
  for (const n of live.filter((x) => FORM_FIELDS.has(role(x))))
    fieldNames.set(`${role(n)}: ${name(n)}`, (fieldNames.get(`${role(n)}: ${name(n)}`) ?? 0) + 1);
  return {
    unnamed,
    duplicateFieldNames: [...fieldNames].filter(([, c]) => c > 1).map(([n]) => n),
    headings: live.filter((n) => role(n) === 'heading').map(name),
    buttons: live.filter((n) => role(n) === 'button').map(name),
    alerts: live.filter((n) => role(n) === 'alert').length,
  };
}

/** Statuses in the rail and the words that say them (colour and the CSS tick are extra). */
export const RAIL_WORDS: Record<string, RegExp> = {
  pending: /^not yet$/,
  open: /^now$/,
  done: /^(recorded, tap to lock|done)$/,
  locked: /^locked$/,
  blocked: /^blocked$/,
};
