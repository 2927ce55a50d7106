import { findSecretInArguments } from '../../src-shared/security/secret-patterns';

/**
 * What a free-text field keeps after main refused it: the text, so it can be fixed, unless it
 * holds something that looks like a secret (the same rules main applies). That is cleared, so a
 * password or key does not sit on screen after the app has said it must not be there.
 */
export function keepAfterRefusal(text: string): string {
  return findSecretInArguments({ text }) ? '' : text;
}
