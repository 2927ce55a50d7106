import { defineCommand } from '../command';
import { TARGET_CLI_OPTIONS } from '../common-options';

export const auditDiffCommand = defineCommand({
  name: 'audit-diff',
  summary: 'Compare MongoDB agent_audit_log with the local journal: rows missing, extra or different.',
  options: {
    ...TARGET_CLI_OPTIONS,
    ceremony: {
      type: 'string',
      value: 'ID',
      multiple: true,
      help: 'compare only this ceremony',
      default: 'every ceremony in the journal',
    },
    json: { type: 'boolean', help: 'print the report as JSON instead of text' },
  },
  exitCodes: {
    0: 'clean: every journal entry is in the collection exactly once, as the journal says',
    1: 'differences (listed), or the server could not be read',
  },
  notes: ['The password comes from $BREAKGLASS_MONGODB_PASSWORD, never from the URI or the configuration file.'],
  example: 'breakglass audit-diff --data-dir /tmp/bg --uri mongodb://breakglass@db.example.com:27017',
  // The MongoDB driver is loaded only when this command runs: every other command (verify above
  // all) starts without it (bench/evidence.bench.ts measures the start-up).
  async run(args, io) {
    const { runAuditDiff } = await import('../run/audit-diff');
    return runAuditDiff(args, io, auditDiffCommand);
  },
});
