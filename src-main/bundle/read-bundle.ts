import { readFileSync } from 'node:fs';
import { bundleSchema } from '../../src-shared/journal/bundle-schema';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type Bundle } from '../../src-shared/journal/types';

/** The file is not a bundle this version can read. Distinct from a bundle that fails verification. */
export class BundleReadError extends Error {}

export function readBundleFile(file: string): Bundle {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BundleReadError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? (error as Error).message})`);
  }
  return parseBundle(text, file);
}

export function parseBundle(text: string, name = 'bundle'): Bundle {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BundleReadError(`${name} is not JSON (${(error as Error).message}); a Breakglass bundle is a .bundle.json file written by \`breakglass export\``);
  }
  if (data === null || typeof data !== 'object' || (data as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new BundleReadError(`${name} is JSON but not a Breakglass bundle (no "format": "${BUNDLE_FORMAT}")`);
  }
  const version = (data as { format_version?: unknown }).format_version;
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new BundleReadError(
      `${name} is a Breakglass bundle of format version ${JSON.stringify(version)}; this verifier reads version ${BUNDLE_FORMAT_VERSION}` +
        (typeof version === 'number' && version > BUNDLE_FORMAT_VERSION ? ' (use a newer Breakglass)' : ''),
    );
  }
  const parsed = bundleSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleReadError(`${name} is not a well-formed bundle: at ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data as Bundle;
}
