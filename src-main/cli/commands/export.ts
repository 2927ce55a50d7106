import path from 'node:path';
import { exportCeremony } from '../../use-cases/export-ceremony';
import { defaultDataDir } from '../../data-dir';
import { listEnrolledKeys } from '../../hardware-key/enrolment/enrolment-store';
import { openJournal } from '../../journal/journal';
import { verdictMeaning } from '../render-verdict';
import { EXIT_ATTENTION, EXIT_OK, defineCommand, requireString } from '../command';
import { CONFIG, DATA_DIR } from '../common-options';
import { loadCliConfig } from '../load-cli-config';
import { openExistingJournal, openJournalForReading } from '../open-existing-journal';
import { sealForExport } from '../seal-for-export';

export const exportCommand = defineCommand({
  name: 'export',
  summary:
    'Seal a finished ceremony with one key tap, then write its verifiable bundle and its session-log document (and the postmortem when a reconciliation is attached).',
  options: {
    'data-dir': DATA_DIR,
    ceremony: {
      type: 'string',
      value: 'ID',
      required: true,
      help: 'the ceremony to export (its id, as `breakglass review` or the app shows it)',
    },
    out: {
      type: 'string',
      value: 'OUT_DIR',
      required: true,
      help: 'the directory to write <id>.bundle.json and the documents into (created if missing)',
    },
    'no-seal': {
      type: 'boolean',
      help: 'do not ask for the closing tap: entries after the last tap stay unsigned and verify says INCOMPLETE; the journal is only read (a read-only data directory works)',
    },
    config: CONFIG,
  },
  exitCodes: {
    0: 'written; the last line is the bundle path',
    1: 'written, but not sealed (no key to tap): the line says why',
  },
  example: 'breakglass export --data-dir /tmp/bg --ceremony bg-20261121-0a1b2c3d --out /tmp/bg-out',
  async run({ values }, io) {
    const ceremonyId = requireString(values, 'ceremony', exportCommand);
    const outDir = path.resolve(requireString(values, 'out', exportCommand));
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    const loaded = loadCliConfig({
      explicit: typeof values.config === 'string' ? values.config : undefined,
      env: io.env,
      dataDir,
    });
    // Sealing appends the closing tap; without it export only reads (a read-only data directory works).
    const seal = values['no-seal'] !== true;
    const journal = seal ? openExistingJournal(dataDir, openJournal) : openJournalForReading(dataDir);
    try {
      let sealProblem: string | null = null;
      if (seal && journal.head(ceremonyId))
        sealProblem = await sealForExport({ journal, ceremonyId, dataDir, loaded, io });
      const exported = exportCeremony({
        journal,
        ceremonyId,
        outDir,
        keys: listEnrolledKeys(journal.db),
        now: io.now(),
        config: loaded.config,
      });
      if (!exported.ok) return exported.error;
      const result = exported.value;
      io.out(
        `${result.report.drill ? 'DRILL ' : ''}ceremony ${ceremonyId}: ${result.bundle.entries.length} entries, ${result.bundle.checkpoints.length} checkpoints`,
      );
      io.out(
        `verdict: ${result.report.verdict} against this laptop's enrolled keys (${verdictMeaning(result.report.verdict)})`,
      );
      if (sealProblem)
        io.err(
          `not sealed: ${sealProblem}. The entries after the last tap are unsigned; plug in the key and export again.`,
        );
      io.out(`session log: ${result.sessionLogPath}`);
      if (result.postmortemPath) io.out(`postmortem: ${result.postmortemPath}`);
      io.out(`bundle: ${result.bundlePath}`);
      return sealProblem ? EXIT_ATTENTION : EXIT_OK;
    } finally {
      journal.close();
    }
  },
});
