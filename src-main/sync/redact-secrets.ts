/**
 * Removes credentials from text before it is shown, logged or stored in sync_state: the password
 * of a mongodb:// URI and any extra secret (e.g. a password given through the environment).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(/(mongodb(?:\+srv)?:\/\/[^:@/\s]*):[^@/\s]*@/gi, '$1:***@');
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** The user name in a mongodb:// URI, if any (decoded). */
export function uriUsername(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/([^@/]*)@/i.exec(uri);
  if (!match) return undefined;
  const user = match[1]!.split(':')[0]!;
  try {
    return decodeURIComponent(user) || undefined;
  } catch {
    return user || undefined;
  }
}

/** host[:port] list of a mongodb:// URI, for messages ("cannot reach db.example.com:27017"). */
export function uriHosts(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/i.exec(uri);
  return match?.[1] || '(no host)';
}
