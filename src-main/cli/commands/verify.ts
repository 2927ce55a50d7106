import { readFileSync } from 'node:fs';
import type { EnrolledKey } from '../../../src-shared/journal/types';
import { enrolledKeySchema } from '../../../src-shared/journal/bundle-schema';
import { BundleReadError, readBundleFile } from '../../bundle/read-bundle';
import { verifyBundle } from '../../bundle/verify-bundle';
import { formatVerdict } from '../../bundle/format-verdict';
import { EXIT_ATTENTION, EXIT_OK, UserError, defineCommand } from '../command';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'Verify an exported bundle offline: hash chain, head, and every key-signed checkpoint.',
  positionals: [{ name: 'BUNDLE', help: 'the exported <id>.bundle.json' }],
  options: {
    'trusted-keys': {
      type: 'string',
      value: 'FILE',
      help: "the reviewer's pinned keys: a JSON array of enrolled keys (or a bundle's `keys`); checkpoints signed by other keys fail",
      default: "none: the bundle's own keys are used and the verdict says they were not pinned",
    },
  },
  exitCodes: { 0: 'intact, with a one-screen summary', 1: 'not intact: names the first bad entry (seq, reason)' },
  example: 'breakglass verify /tmp/bg-out/0193c5e0-5d1a-7b2e-9f00-0a1b2c3d4e5f.bundle.json',
  run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UserError(`give exactly one bundle file\nusage: ${verifyCommand.usage}`);
    const file = positionals[0]!;
    let bundle;
    try {
      bundle = readBundleFile(file);
    } catch (error) {
      if (error instanceof BundleReadError) throw new UserError(error.message);
      throw error;
    }
    const trustedKeys = typeof values['trusted-keys'] === 'string' ? readTrustedKeys(values['trusted-keys']) : undefined;
    const verdict = verifyBundle(bundle, { trustedKeys });
    for (const line of formatVerdict(bundle, verdict, { trustedKeys: trustedKeys !== undefined })) io.out(line);
    return verdict.ok ? EXIT_OK : EXIT_ATTENTION;
  },
});

/** A reviewer's pinned keys: a JSON array of enrolled keys (or a bundle's `keys`), public data only. */
function readTrustedKeys(file: string): EnrolledKey[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--trusted-keys ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message})`}`);
  }
  const list = Array.isArray(data) ? data : (data as { keys?: unknown })?.keys;
  const parsed = enrolledKeySchema.array().safeParse(list);
  if (!parsed.success) throw new UserError(`--trusted-keys ${file}: expected a JSON array of enrolled keys (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  return parsed.data as EnrolledKey[];
}
