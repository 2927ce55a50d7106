import { VERDICTS, type Verdict } from '../../evidence/verdict';
import { renderVerdict, verdictMeaning } from '../render-verdict';
import { VERDICT_EXITS } from '../verdict-exits';
import { UserError, defineCommand } from '../command';
import { EVIDENCE_OPTIONS, readVerifiedBundle } from '../read-verified-bundle';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary:
    'Verify an exported bundle offline: format, chain, key taps, runbook rules, completeness, pinned keys, witness codes.',
  positionals: [{ name: 'BUNDLE', help: 'the exported <id>.bundle.json' }],
  options: { ...EVIDENCE_OPTIONS },
  // Every verdict has its own code (docs/threat-model.md); 2 (UNREADABLE) is the shared bad-input code.
  exitCodes: Object.fromEntries(
    Object.entries(VERDICTS)
      .filter(([name]) => name !== 'UNREADABLE')
      .map(([name]) => [VERDICT_EXITS[name as Verdict], `${name}: ${verdictMeaning(name as Verdict)}`]),
  ),
  example:
    'breakglass verify /tmp/bg-out/bg-20261121-0a1b2c3d.bundle.json --trusted-keys founders-keys.json --witness "amber falcon river quartz 1"',
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UserError(`give exactly one bundle file\nusage: ${verifyCommand.usage}`);
    const verified = readVerifiedBundle(positionals[0]!, values, io);
    for (const line of renderVerdict(verified.report, { rulesSource: verified.rulesSource })) io.out(line);
    return VERDICT_EXITS[verified.report.verdict];
  },
});
