import path from 'node:path';
import { exportCeremony } from '../../bundle/export-ceremony';
import { ExportError } from '../../bundle/build-bundle';
import { defaultDataDir } from '../../data-dir';
import { listEnrolledKeys } from '../../hardware-key/enrolment-store';
import { openJournal } from '../../journal/journal';
import { EXIT_OK, UserError, requireString, type CliCommand } from '../command';
import { openExistingJournal } from '../open-existing-journal';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Write a ceremony\'s verifiable bundle and its session-log document.',
  usage: 'breakglass export [--data-dir DIR] --ceremony ID --out OUT_DIR',
  options: { 'data-dir': { type: 'string' }, ceremony: { type: 'string' }, out: { type: 'string' } },
  run({ values }, io) {
    const ceremonyId = requireString(values, 'ceremony', exportCommand);
    const outDir = path.resolve(requireString(values, 'out', exportCommand));
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    const journal = openExistingJournal(dataDir, openJournal);
    try {
      const result = exportCeremony({ journal, ceremonyId, outDir, keys: listEnrolledKeys(journal.db), now: io.now() });
      io.out(`${result.bundle.drill ? 'DRILL ' : ''}ceremony ${ceremonyId}: ${result.bundle.entries.length} entries, ${result.bundle.checkpoints.length} checkpoints`);
      io.out(`session log: ${result.sessionLogPath}`);
      if (result.postmortemPath) io.out(`postmortem: ${result.postmortemPath}`);
      io.out(`bundle: ${result.bundlePath}`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof ExportError) throw new UserError(error.message);
      throw error;
    } finally {
      journal.close();
    }
  },
};
