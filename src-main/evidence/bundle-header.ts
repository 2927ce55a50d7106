import { bundleSchema } from '../../src-shared/journal/bundle-schema';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type Bundle } from '../../src-shared/journal/types';

/** The file is not a bundle this version can read (exit 2): distinct from a bundle that lies. */
export class BundleReadError extends Error {}

/** Refuses JSON that is not a bundle of this format version, naming what it is instead. */
export function checkFormatVersion(data: unknown, name: string): asserts data is Record<string, unknown> {
  if (
    data === null ||
    typeof data !== 'object' ||
    Array.isArray(data) ||
    (data as { format?: unknown }).format !== BUNDLE_FORMAT
  ) {
    const other = (data as { format?: unknown } | null)?.format;
    throw new BundleReadError(
      other === 'breakglass.trusted-keys'
        ? `${name} is a trusted-keys file, not a bundle`
        : `${name} is JSON but not a Breakglass bundle (no "format": "${BUNDLE_FORMAT}")`,
    );
  }
  const version = (data as { format_version?: unknown }).format_version;
  if (version !== BUNDLE_FORMAT_VERSION) {
    throw new BundleReadError(
      version === 1
        ? `${name} is a format-1 bundle: format 1 signs nothing after the last step and derives witness codes from hashes anyone can grind, so this verifier does not vouch for it. Export the ceremony again with this version`
        : `${name} is a Breakglass bundle of format version ${JSON.stringify(version)}; this verifier reads version ${BUNDLE_FORMAT_VERSION}` +
            (typeof version === 'number' && version > BUNDLE_FORMAT_VERSION ? ' (use a newer Breakglass)' : ''),
    );
  }
}

/** Everything but the entries, by the bundle schema (the entries are checked by hand: there are 100,000 of them). */
export function checkedBundleFields(rest: Record<string, unknown>, name: string): Omit<Bundle, 'entries'> {
  let parsed;
  try {
    parsed = bundleSchema.safeParse({ ...rest, entries: [] });
  } catch (error) {
    throw new BundleReadError(
      `${name} is not a well-formed bundle (${error instanceof RangeError ? 'nested too deeply' : (error as Error).message})`,
    );
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleReadError(
      `${name} is not a well-formed bundle: at ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    );
  }
  return parsed.data as Omit<Bundle, 'entries'>;
}
