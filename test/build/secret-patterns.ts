// Scanning helpers for the secrets tests: the rules themselves live in src-shared, where the
// ceremony also uses them to refuse secret-looking input.
import { VALUE_RULES, type SecretFinding } from '../../src-shared/security/secret-patterns';

export {
  scanJson,
  scanText,
  scanValue,
  secretNameRule,
  type SecretFinding,
} from '../../src-shared/security/secret-patterns';

/**
 * Raw bytes of a file that is not text (the SQLite database and its WAL): what could survive in
 * free pages or an old WAL frame even when no row shows it.
 */
export function scanBytes(bytes: Buffer, where: string): SecretFinding[] {
  const text = bytes.toString('latin1');
  const out: SecretFinding[] = [];
  for (const { rule, pattern } of VALUE_RULES.slice(0, 3)) {
    const m = new RegExp(pattern.source, pattern.flags).exec(text);
    if (m) out.push({ where, rule, excerpt: `[byte ${m.index}]` });
  }
  return out;
}
