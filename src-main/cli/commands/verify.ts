import { renderVerdict } from '../../evidence/render-verdict';
import { VERDICTS } from '../../evidence/verdict';
import { UserError, type CliCommand } from '../command';
import { EVIDENCE_OPTIONS, readVerifiedBundle } from '../read-verified-bundle';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Verify an exported bundle offline: format, chain, key taps, runbook rules, completeness, pinned keys, witness codes.',
  usage: 'breakglass verify BUNDLE [--trusted-keys FILE] [--witness "CODE" ...] [--config FILE]',
  options: { ...EVIDENCE_OPTIONS },
  allowPositionals: true,
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UserError(`give exactly one bundle file\nusage: ${verifyCommand.usage}`);
    const verified = readVerifiedBundle(positionals[0]!, values, io);
    for (const line of renderVerdict(verified.report, { rulesSource: verified.rulesSource })) io.out(line);
    return VERDICTS[verified.report.verdict].exit;
  },
};
