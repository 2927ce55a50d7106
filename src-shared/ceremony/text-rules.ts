import * as z from 'zod';

/**
 * Evidence has to say something: "." or "asdf" under pressure is exactly what the gate exists to
 * stop. A field passes when, trimmed, it is long enough and has enough letter-bearing words. The
 * problems are said without the field's name: the refusal names the field (rule-kit `check`).
 */
export function meaningfulText(minChars: number, minWords = 2, maxChars = 2000) {
  return z
    .string({ error: 'expected text' })
    .trim()
    .min(minChars, { error: `write at least ${minChars} characters` })
    .max(maxChars, { error: `at most ${maxChars} characters` })
    .refine((s) => wordCount(s) >= minWords, { error: `write at least ${minWords} words` })
    .refine((s) => new Set(s.replace(/\s/g, '').toLowerCase()).size >= 3, {
      error: 'this does not look like a real answer',
    });
}

/** One line of text (it goes into a single-line field such as the audit row's reason). */
export function oneLine(minChars: number, minWords: number, maxChars: number) {
  return meaningfulText(minChars, minWords, maxChars).refine((s) => !/[\r\n]/.test(s), { error: 'one line only' });
}

export function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
}

/** ISO 8601 UTC instant, as the journal stores every time. */
export const isoInstant = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 time such as 2026-05-20T13:00:00Z',
});

export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export const awsRegion = z.string().trim().regex(AWS_REGION, { error: 'expected an AWS region such as us-east-1' });

/** Minutes between two ISO instants (positive when `to` is later). */
export function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 60_000;
}

/** Allowed clock skew between the operator's entered times and the app clock. */
export const FUTURE_SKEW_MS = 2 * 60_000;

export function isInFuture(iso: string, now: Date): boolean {
  return Date.parse(iso) > now.getTime() + FUTURE_SKEW_MS;
}

export function normaliseIso(iso: string): string {
  return new Date(Date.parse(iso)).toISOString();
}
