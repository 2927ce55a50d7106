/**
 * An ISO 8601 instant with a zone, checked against the calendar: `Date.parse` accepts
 * 2026-02-30T10:00Z and quietly means March 2, which would put a drill on the wrong day.
 * Returns the instant, or the reason it is not one.
 */
export function parseIsoInstant(text: string): { ok: true; date: Date } | { ok: false; reason: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return { ok: false, reason: 'expected an ISO 8601 time with a zone, such as 2026-05-20T13:00:00Z' };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return { ok: false, reason: `there is no month ${m[2]}` };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth)
    return { ok: false, reason: `${m[1]}-${m[2]} has no day ${m[3]} (it has ${daysInMonth} days)` };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, reason: `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day` };
  if (m[9] !== undefined && (Number(m[10]) > 14 || Number(m[11]) > 59))
    return { ok: false, reason: `${m[8]} is not a time zone offset` };
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    return { ok: false, reason: 'it is outside the range of dates this program handles' };
  return { ok: true, date };
}
