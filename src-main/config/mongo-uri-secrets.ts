import type * as ConnectionStringUrl from 'mongodb-connection-string-url';

const KEEP_OUT = 'the configuration file holds no secrets (give the password in $BREAKGLASS_MONGODB_PASSWORD)';

/**
 * What is wrong with `mongodb.uri` for a configuration file, read by the driver's own parser:
 * a URI the driver cannot read, or one that carries a secret (a password, or an option such as
 * tlsCertificateKeyFilePassword or an AWS_SESSION_TOKEN: whatever the driver's redaction would
 * hide). Never echoes the URI. Undefined when it is fine.
 */
export function mongoUriProblem(uri: string): string | undefined {
  const { ConnectionString } = loadParser();
  let parsed: ConnectionStringUrl.ConnectionString;
  try {
    parsed = new ConnectionString(uri);
  } catch (error) {
    return `the MongoDB driver cannot read this URI: ${(error as Error).message}`;
  }
  if (parsed.redact({ redactUsernames: false }).toString() !== parsed.toString())
    return `the URI contains a password or a secret option; ${KEEP_OUT}`;
  return undefined;
}

/**
 * Loaded when a configuration names a URI rather than at start: `breakglass verify` reads the
 * configuration but never syncs, and its start-up is measured (bench/evidence.bench.ts).
 */
function loadParser(): typeof ConnectionStringUrl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('mongodb-connection-string-url') as typeof ConnectionStringUrl;
}
