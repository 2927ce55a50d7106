import { defineCommand } from '../command';
import { TARGET_CLI_OPTIONS } from '../common-options';

export const syncCommand = defineCommand({
  name: 'sync',
  summary: 'Push every pending journal entry to MongoDB agent_audit_log (exactly once, in order).',
  options: TARGET_CLI_OPTIONS,
  exitCodes: {
    0: 'every entry is in the collection',
    1: 'entries still pending (server unreachable or refused; nothing is lost, run it again)',
  },
  notes: ['The password comes from $BREAKGLASS_MONGODB_PASSWORD, never from the URI or the configuration file.'],
  example: 'breakglass sync --data-dir /tmp/bg --uri mongodb://breakglass@db.example.com:27017',
  // The MongoDB driver is loaded only when this command runs: every other command (verify above
  // all) starts without it (bench/evidence.bench.ts measures the start-up).
  async run(args, io) {
    const { runSync } = await import('../run/sync');
    return runSync(args, io, syncCommand);
  },
});
