// The packaging rules the config test enforces, as plain functions returning human-readable
// problems, so the test can also show that each rule fails on a weakened configuration.
import { createRequire } from 'node:module';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
// electron-builder's own modules, so the test judges patterns exactly as the packager will.
const requireFromBuilder = createRequire(requireFromRoot.resolve('app-builder-lib/package.json'));

/**
 * The value every fuse must have, keyed by its @electron/fuses FuseV1Options name. A fuse that
 * the installed @electron/fuses knows but this table does not is a problem: someone must decide.
 */
export const REQUIRED_FUSES: Readonly<Record<string, boolean>> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

/** The fuse names of the installed @electron/fuses (the enum electron-builder flips). */
export function installedFuseNames(): string[] {
  const { FuseV1Options } = requireFromBuilder('@electron/fuses') as { FuseV1Options: Record<string, string | number> };
  return Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
}

/** electron-builder's config key for a FuseV1Options name: RunAsNode -> runAsNode. */
export const fuseConfigKey = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function fuseProblems(
  electronFuses: unknown,
  fuseNames: readonly string[],
  comments: ReadonlyMap<string, string> = new Map(),
): string[] {
  const problems: string[] = [];
  if (electronFuses === null || typeof electronFuses !== 'object')
    return ['electronFuses is missing: no fuse would be flipped'];
  const fuses = electronFuses as Record<string, unknown>;
  for (const name of fuseNames) {
    const key = fuseConfigKey(name);
    if (!Object.hasOwn(REQUIRED_FUSES, name)) {
      problems.push(
        `fuse ${name} (${key}) is new in the installed @electron/fuses: decide its value, add it to REQUIRED_FUSES and electron-builder.yml with a reason`,
      );
      continue;
    }
    const want = REQUIRED_FUSES[name];
    if (!Object.hasOwn(fuses, key)) problems.push(`electronFuses.${key} is missing (must be ${want})`);
    else if (fuses[key] !== want)
      problems.push(`electronFuses.${key} is ${JSON.stringify(fuses[key])}, must be ${want}`);
    else if (comments.size > 0 && !(comments.get(key) ?? '').trim())
      problems.push(`electronFuses.${key} has no one-line reason (a comment above it)`);
  }
  for (const name of Object.keys(REQUIRED_FUSES)) {
    if (!fuseNames.includes(name))
      problems.push(`REQUIRED_FUSES names ${name}, which the installed @electron/fuses does not know`);
  }
  return problems;
}

interface Minimatch {
  (file: string, pattern: string, options?: { dot?: boolean }): boolean;
}
const minimatch = (requireFromBuilder('minimatch') as { minimatch: Minimatch }).minimatch;

/** Native binaries that must sit outside app.asar, and the asarUnpack patterns that would not unpack them. */
export function asarProblems(config: Record<string, unknown>, nativeFiles: readonly string[]): string[] {
  const problems: string[] = [];
  if (config.asar === false)
    problems.push('asar is off: there would be no archive to check and nothing for onlyLoadAppFromAsar to load');
  const unpack = ([] as unknown[]).concat(config.asarUnpack ?? []).filter((p): p is string => typeof p === 'string');
  if (nativeFiles.length === 0) problems.push('no native module binaries found to check asarUnpack against');
  for (const file of nativeFiles) {
    if (!unpack.some((p) => minimatch(file, p, { dot: true })))
      problems.push(`asarUnpack does not unpack ${file}: the native module could not load from inside app.asar`);
  }
  return problems;
}

interface FileFilter {
  (file: string, stat: { isDirectory(): boolean }): boolean;
}

/** electron-builder's own file filter for `files`, as the packager builds it for the app dir. */
export function appFileFilter(files: readonly string[]): (relative: string) => boolean {
  const { FileMatcher } = requireFromBuilder('./out/fileMatcher') as {
    FileMatcher: new (
      from: string,
      to: string,
      expand: (s: string) => string,
      patterns: readonly string[],
    ) => { patterns: string[]; createFilter(): FileFilter };
  };
  const matcher = new FileMatcher(ROOT, '/app', (s) => s, files);
  if (!matcher.patterns.includes('package.json')) matcher.patterns.push('package.json');
  const filter = matcher.createFilter();
  const notDir = { isDirectory: () => false };
  return (relative) => filter(path.join(ROOT, relative), notDir);
}

/**
 * electron-builder's filter for production node_modules: only the exclusions of `files` apply,
 * after an implicit `**` (see getNodeModuleFileMatcher in app-builder-lib).
 */
export function nodeModulesFileFilter(files: readonly string[]): (relative: string) => boolean {
  const excludes = files.filter((p) => p.startsWith('!'));
  return excludes.length === 0 ? () => true : appFileFilter(['**/*', ...excludes]);
}

/** What `files` must let in and keep out; `candidates` are paths relative to the project root. */
export function filesProblems(
  files: unknown,
  candidates: { mustInclude: readonly string[]; mustExclude: readonly string[] },
): string[] {
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string'))
    return ['files must be a list of glob strings (an allowlist)'];
  const problems: string[] = [];
  const patterns = files as string[];
  if (!patterns.some((p) => !p.startsWith('!')))
    problems.push('files has only exclusions: electron-builder would add **/* and package the whole project');
  if (patterns.some((p) => /^(\*\*\/?)?\*?$/.test(p) || p === '**/*'))
    problems.push('files includes everything (**/*): it must be an allowlist');
  const included = appFileFilter(patterns);
  for (const f of candidates.mustInclude)
    if (!included(f)) problems.push(`files leaves out ${f}, which the app needs at run time`);
  for (const f of candidates.mustExclude) if (included(f)) problems.push(`files lets ${f} into the package`);
  return problems;
}

export const REQUIRED_TARGETS: Readonly<Record<'mac' | 'win' | 'linux', readonly string[]>> = {
  mac: ['dmg'],
  win: ['nsis'],
  linux: ['AppImage', 'deb'],
};

/** Target names per platform, whether written as strings or { target } objects. */
export function targetsOf(platformConfig: unknown): string[] {
  const target = (platformConfig as { target?: unknown } | undefined)?.target;
  return ([] as unknown[])
    .concat(target ?? [])
    .map((t) => (typeof t === 'string' ? t : (t as { target?: unknown })?.target))
    .filter((t): t is string => typeof t === 'string');
}

export function targetProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [platform, wanted] of Object.entries(REQUIRED_TARGETS)) {
    const have = targetsOf(config[platform]).map((t) => t.toLowerCase());
    for (const t of wanted) if (!have.includes(t.toLowerCase())) problems.push(`${platform}.target lacks ${t}`);
  }
  return problems;
}

/** Validates with app-builder-lib's own schema check (the one `electron-builder` runs first). */
export async function schemaProblems(config: Record<string, unknown>): Promise<string[]> {
  const { validateConfiguration } = requireFromBuilder('./out/util/config/config') as {
    validateConfiguration: (c: unknown, logger: { isEnabled: boolean; add(): void }) => Promise<void>;
  };
  try {
    await validateConfiguration(config, { isEnabled: false, add: () => undefined });
    return [];
  } catch (error) {
    return [(error as Error).message.split('\n  How to fix')[0]!];
  }
}
