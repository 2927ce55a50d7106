/**
 * `aws s3 <command>` is a client-side customization: one command makes several API calls
 * depending on which side of the copy is S3. This maps each command to the calls it makes for
 * the single object/prefix case, no more (multipart uploads and pagination are not listed).
 */

/** `aws s3` options that take no value, so the word after them is a path. */
const FLAGS = new Set([
  '--recursive',
  '--dryrun',
  '--quiet',
  '--delete',
  '--force',
  '--only-show-errors',
  '--no-progress',
  '--follow-symlinks',
  '--no-follow-symlinks',
  '--exact-timestamps',
  '--size-only',
  '--human-readable',
  '--summarize',
  '--no-guess-mime-type',
  '--ignore-glacier-warnings',
  '--force-glacier-transfer',
  '--no-overwrite',
  '--page-size-all',
  '--debug',
  '--no-verify-ssl',
  '--no-paginate',
  '--no-sign-request',
  '--no-cli-pager',
  '--cli-auto-prompt',
  '--no-cli-auto-prompt',
]);

function paths(args: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      if (!FLAGS.has(a) && !a.includes('=')) i++;
      continue;
    }
    found.push(a);
  }
  return found;
}

const isS3 = (p: string | undefined) => p !== undefined && p.startsWith('s3://');

/** API operations (S3 eventName spelling) made by `aws s3 <command> <args>`; [] for local-only commands. */
export function s3HighLevelOperations(command: string, args: string[]): string[] {
  const [src, dst] = paths(args);
  const del = args.includes('--delete');
  const recursive = args.includes('--recursive');
  // Reading a whole prefix lists it first; a single object does not.
  const list = recursive ? ['ListObjectsV2'] : [];
  switch (command) {
    case 'ls':
      return isS3(src) ? ['ListObjectsV2'] : ['ListBuckets'];
    case 'cp':
      if (isS3(src) && isS3(dst)) return [...list, 'CopyObject'];
      if (isS3(src)) return [...list, 'GetObject'];
      if (isS3(dst)) return ['PutObject'];
      return [];
    case 'mv':
      if (isS3(src) && isS3(dst)) return [...list, 'CopyObject', 'DeleteObject'];
      if (isS3(src)) return [...list, 'GetObject', 'DeleteObject'];
      if (isS3(dst)) return ['PutObject'];
      return [];
    case 'sync': {
      const extra = del ? ['DeleteObject'] : [];
      if (isS3(src) && isS3(dst)) return ['ListObjectsV2', 'CopyObject', ...extra];
      if (isS3(src)) return ['ListObjectsV2', 'GetObject'];
      if (isS3(dst)) return ['ListObjectsV2', 'PutObject', ...extra];
      return [];
    }
    case 'rm':
      return isS3(src) ? [...list, 'DeleteObject'] : [];
    case 'mb':
      return ['CreateBucket'];
    case 'rb':
      return args.includes('--force') ? ['ListObjectsV2', 'DeleteObject', 'DeleteBucket'] : ['DeleteBucket'];
    case 'website':
      return ['PutBucketWebsite'];
    default:
      // presign signs locally and calls nothing; unknown commands are not guessed at.
      return [];
  }
}
