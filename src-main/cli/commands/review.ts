import { defaultDataDir } from '../../data-dir';
import { writeFileDurably } from '../../fs/durable-write';
import { renderQuarterlyReview } from '../../reconcile/quarterly-review';
import { EXIT_ATTENTION, EXIT_OK, defineCommand, requireString, UserError } from '../command';
import { CONFIG, DATA_DIR } from '../common-options';
import { openJournalForReading } from '../open-existing-journal';
import { loadCliConfig } from '../load-cli-config';
import { evidenceSummary, journalEvidence } from '../../bundle/journal-evidence';

/** YYYY-MM-DD (a whole day: `--to` includes it) or a full ISO timestamp. */
function parseDate(value: string, name: string, endOfDay: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw new UserError(`--${name} "${value}" is not a date (use YYYY-MM-DD)`);
  return new Date(dateOnly && endOfDay ? t + 86_400_000 - 1 : t);
}

export const reviewCommand = defineCommand({
  name: 'review',
  summary:
    'Quarterly access review of break-glass ceremonies in a date range (markdown); each ceremony judged as its exported bundle would be.',
  options: {
    'data-dir': DATA_DIR,
    from: { type: 'string', value: 'YYYY-MM-DD', required: true, help: 'the first day of the period (or an ISO time)' },
    to: {
      type: 'string',
      value: 'YYYY-MM-DD',
      required: true,
      help: 'the last day of the period, included (or an ISO time)',
    },
    out: { type: 'string', value: 'FILE', help: 'write the markdown there', default: 'stdout' },
    config: CONFIG,
  },
  exitCodes: {
    0: 'written, no findings',
    1: 'written, with findings (warnings on stderr: no ceremony or drill in 90 days, evidence short of INTACT, a failed sign-in, SSO not confirmed down, anti-pattern warnings)',
  },
  example: 'breakglass review --data-dir /tmp/bg --from 2026-07-01 --to 2026-09-30 --out review-2026-q3.md',
  run({ values }, io) {
    const from = parseDate(requireString(values, 'from', reviewCommand), 'from', false);
    const to = parseDate(requireString(values, 'to', reviewCommand), 'to', true);
    if (from > to) throw new UserError('--from is after --to');
    const dataDir =
      typeof values['data-dir'] === 'string' && values['data-dir']
        ? values['data-dir']
        : defaultDataDir(process.platform, io.env);
    // A review only reads: it must not create an empty journal where a path was mistyped, and it
    // works on a read-only data directory.
    const journal = openJournalForReading(dataDir);
    const loaded = loadCliConfig({
      explicit: typeof values.config === 'string' ? values.config : undefined,
      env: io.env,
      dataDir,
    });
    let review;
    try {
      const ceremonies = journal.ceremonies().map((c) => ({
        ceremony_id: c.ceremony_id,
        entries: journal.entries(c.ceremony_id),
        evidence: evidenceSummary(journalEvidence(journal, c.ceremony_id, { config: loaded.config, now: io.now() })),
      }));
      review = renderQuarterlyReview(ceremonies, { from, to, now: io.now() });
    } finally {
      journal.close();
    }
    const out = typeof values.out === 'string' && values.out ? values.out : undefined;
    if (out) {
      try {
        writeFileDurably(out, review.markdown);
      } catch (error) {
        throw new UserError(
          `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      io.out(`wrote ${out}`);
    } else io.out(review.markdown.trimEnd());
    for (const w of review.warnings) io.err(`warning: ${w}`);
    return review.warnings.length > 0 ? EXIT_ATTENTION : EXIT_OK;
  },
});
