// Named imports only: bundled as CommonJS in Node mode, the default import would be the whole module.
import { ConnectionString, redactConnectionString } from 'mongodb-connection-string-url';
import { SyncError } from './sync-errors';

/** A connection string inside a message: up to whitespace or a quote (messages quote URIs). */
const URI_IN_TEXT = /mongodb(?:\+srv)?:\/\/[^\s"'`<>]*/gi;
const REDACTION = { redactUsernames: false, replacementString: '***' };

/**
 * Removes credentials from text before it is shown, logged or stored in sync_state: every
 * mongodb:// URI in it goes through the driver's own redaction (mongodb-connection-string-url:
 * the password, and the secrets that ride in options, such as an AWS_SESSION_TOKEN or a
 * tlsCertificateKeyFilePassword, even in a URI that does not parse), then any extra secret
 * (e.g. a password given through the environment), as written and percent-encoded.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(URI_IN_TEXT, (uri) => redactConnectionString(uri, REDACTION));
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** What the rest of sync needs from a URI: its hosts for messages and its user (decoded), if any. */
export interface ParsedUri {
  /** host[:port] list, for messages ("cannot reach db.example.com:27017"); never credentials. */
  hosts: string;
  username: string | undefined;
}

/**
 * Parses a connection string with the driver's own parser, so what is accepted here is what
 * MongoClient will read. A URI that does not parse is a SyncError naming why, without its password.
 */
export function parseMongoUri(uri: string, redact: (text: string) => string = redactSecrets): ParsedUri {
  let parsed: ConnectionString;
  try {
    parsed = new ConnectionString(uri);
  } catch (error) {
    const why = redact((error as Error).message).replace(/\.$/, '');
    // Whatever its scheme (postgres://user:pass@... included), the URI shown has no password.
    const shown = redact(redactConnectionString(uri, REDACTION)).slice(0, 60);
    throw new SyncError('config-invalid', `The MongoDB URI does not parse: ${why} (got "${shown}").`, { cause: error });
  }
  let username: string | undefined;
  try {
    username = decodeURIComponent(parsed.username) || undefined;
  } catch {
    username = parsed.username || undefined;
  }
  return { hosts: parsed.hosts.join(','), username };
}
