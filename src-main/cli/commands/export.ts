import path from 'node:path';
import { exportCeremony } from '../../bundle/export-ceremony';
import { ExportError } from '../../bundle/build-bundle';
import { defaultDataDir } from '../../data-dir';
import { listEnrolledKeys } from '../../hardware-key/enrolment-store';
import { openJournal } from '../../journal/journal';
import { VERDICTS } from '../../evidence/verdict';
import { EXIT_ATTENTION, EXIT_OK, UserError, requireString, type CliCommand } from '../command';
import { loadCliConfig } from '../load-cli-config';
import { openExistingJournal } from '../open-existing-journal';
import { sealForExport } from '../seal-for-export';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Seal a finished ceremony with one key tap, then write its verifiable bundle and its session-log document.",
  usage: 'breakglass export [--data-dir DIR] --ceremony ID --out OUT_DIR [--no-seal] [--config FILE]',
  options: { 'data-dir': { type: 'string' }, ceremony: { type: 'string' }, out: { type: 'string' }, 'no-seal': { type: 'boolean' }, config: { type: 'string' } },
  async run({ values }, io) {
    const ceremonyId = requireString(values, 'ceremony', exportCommand);
    const outDir = path.resolve(requireString(values, 'out', exportCommand));
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    const loaded = loadCliConfig({ explicit: typeof values.config === 'string' ? values.config : undefined, env: io.env, dataDir });
    const journal = openExistingJournal(dataDir, openJournal);
    try {
      let sealProblem: string | null = null;
      if (values['no-seal'] !== true && journal.head(ceremonyId)) sealProblem = await sealForExport({ journal, ceremonyId, dataDir, loaded, io });
      const result = exportCeremony({ journal, ceremonyId, outDir, keys: listEnrolledKeys(journal.db), now: io.now(), config: loaded.config });
      io.out(`${result.report.drill ? 'DRILL ' : ''}ceremony ${ceremonyId}: ${result.bundle.entries.length} entries, ${result.bundle.checkpoints.length} checkpoints`);
      io.out(`verdict: ${result.report.verdict} against this laptop's enrolled keys (${VERDICTS[result.report.verdict].meaning})`);
      if (sealProblem) io.err(`not sealed: ${sealProblem}. The entries after the last tap are unsigned; plug in the key and export again.`);
      io.out(`session log: ${result.sessionLogPath}`);
      if (result.postmortemPath) io.out(`postmortem: ${result.postmortemPath}`);
      io.out(`bundle: ${result.bundlePath}`);
      return sealProblem ? EXIT_ATTENTION : EXIT_OK;
    } catch (error) {
      if (error instanceof ExportError) throw new UserError(error.message);
      throw error;
    } finally {
      journal.close();
    }
  },
};
