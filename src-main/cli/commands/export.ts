import path from 'node:path';
import { exportCeremony } from '../../bundle/export-ceremony';
import { ExportError } from '../../bundle/build-bundle';
import { defaultDataDir } from '../../data-dir';
import { listEnrolledKeys } from '../../hardware-key/enrolment-store';
import { openJournal } from '../../journal/journal';
import { EXIT_OK, UserError, defineCommand, requireString } from '../command';
import { DATA_DIR } from '../common-options';
import { openExistingJournal } from '../open-existing-journal';

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Write a ceremony\'s verifiable bundle and its session-log document (and the postmortem when a reconciliation is attached).',
  options: {
    'data-dir': DATA_DIR,
    ceremony: { type: 'string', value: 'ID', required: true, help: 'the ceremony to export (its id, as `breakglass review` or the app shows it)' },
    out: { type: 'string', value: 'OUT_DIR', required: true, help: 'the directory to write <id>.bundle.json and the documents into (created if missing)' },
  },
  exitCodes: { 0: 'written; the last line is the bundle path' },
  example: 'breakglass export --data-dir /tmp/bg --ceremony 0193c5e0-5d1a-7b2e-9f00-0a1b2c3d4e5f --out /tmp/bg-out',
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
});
