/**
 * The one place where a refusal from main becomes words for a person under stress: which field
 * it is about (so the field is highlighted and the sentence sits next to it) and a sentence
 * without validator jargon. Main's messages have two machine-made shapes, from the IPC schema
 * (`ceremony:reconcile: argument 1.cloudtrail.0 expected an absolute file path`) and from the
 * ceremony's own parser (`select_scenario: evidence.idp: idp: expected …`); every other refusal
 * is already a sentence and passes through unchanged.
 */
export interface RefusalWords {
  /** The (first) argument path the refusal is about ("evidence.idp", "cloudtrail.0"), or null. */
  field: string | null;
  /** Every field named, with its own sentence (the scenario evidence is judged all at once). */
  fields: Record<string, string>;
  sentence: string;
}

const IPC_SHAPE = /^[a-z]+:[A-Za-z]+: argument (\d+)(?:\.(\S+))? (.*)$/s;
const COMMAND_SHAPE = /^[a-z_]+: ([A-Za-z0-9_.[\]]+): (.*)$/s;
const EVIDENCE_SHAPE = /^evidence for "[^"]+": (.*)$/s;
const SECRET_SHAPE = /^[a-z_]+: ([A-Za-z0-9_.[\]]+) looks like it contains a secret \(([^)]+)\)\.?(.*)$/s;

/** Zod's stock phrases, said the way a person would. */
const PHRASES: Array<[RegExp, string]> = [
  [/^Invalid input: expected string, received undefined$/i, 'this is required'],
  [/^Invalid input: expected (\w+), received undefined$/i, 'this is required'],
  [/^Invalid input: expected number, received NaN$/i, 'expected a number'],
  [/^Invalid input: expected (\w+), received (\w+)$/i, 'expected $1, got $2'],
  [/^Invalid input$/i, 'this value is not accepted'],
  [/^Too small: expected string to have >=(\d+) characters?$/i, 'too short: at least $1 characters'],
  [/^Too big: expected string to have <=(\d+) characters?$/i, 'too long: at most $1 characters'],
  [/^expected an absolute file path$/i, 'give the full path of the file (starting with / or a drive letter)'],
  [/^unknown field$/i, 'this field is not part of the form'],
];

/** "evidence.last_good_sso_login_at" -> "last good sso login at" (used when no label is known). */
function spokenPath(path: string): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).at(-1) ?? path;
  return last.replace(/_/g, ' ');
}

function tidy(message: string, path: string): string {
  let m = message.trim();
  // The ceremony repeats the field's own name at the front ("idp: idp: expected …").
  const own = path.split('.').at(-1) ?? '';
  for (const prefix of [`${own}: `, `${spokenPath(path)}: `]) if (prefix.length > 2 && m.toLowerCase().startsWith(prefix.toLowerCase())) m = m.slice(prefix.length);
  for (const [pattern, words] of PHRASES) if (pattern.test(m)) return m.replace(pattern, words);
  return m;
}

const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/**
 * Words for a refusal. `labels` maps argument paths to the labels on screen ("evidence.idp" ->
 * "Identity provider"), so the sentence names the field as the person sees it.
 */
export function refusalWords(message: string, labels: Record<string, string> = {}): RefusalWords {
  const labelOf = (path: string) => labels[path] ?? labels[path.replace(/\.\d+$/, '')] ?? spokenPath(path);
  const one = (field: string | null, text: string): RefusalWords => ({ field, fields: field ? { [field]: text } : {}, sentence: text });
  const evidence = EVIDENCE_SHAPE.exec(message);
  if (evidence) {
    // "idp: idp: expected …; region: Invalid input: …" or "last good SSO login: this time is in the future".
    const fields: Record<string, string> = {};
    const loose: string[] = [];
    for (const part of evidence[1]!.split(/;\s+/)) {
      const m = /^([^:]+):\s*(.*)$/s.exec(part);
      const name = m?.[1]?.trim() ?? '';
      const key = evidenceKey(name, labels);
      if (m && key) fields[key] = sentence(`${labelOf(key)}: ${tidy(m[2]!, key)}`);
      else loose.push(sentence(part));
    }
    const all = [...Object.values(fields), ...loose];
    return { field: Object.keys(fields)[0] ?? null, fields, sentence: all.join(' ') };
  }
  const secret = SECRET_SHAPE.exec(message);
  if (secret) {
    const [, path, rule] = secret as unknown as [string, string, string];
    return one(path, sentence(`${labelOf(path)} looks like it holds a secret (${rule}). The journal can never forget what it records: remove it and try again`));
  }
  const ipc = IPC_SHAPE.exec(message);
  if (ipc) {
    const [, , path = '', rest] = ipc as unknown as [string, string, string | undefined, string];
    if (!path) return one(null, sentence(tidy(rest, '')));
    return one(path, sentence(`${labelOf(path)}: ${tidy(rest, path)}`));
  }
  const command = COMMAND_SHAPE.exec(message);
  if (command) {
    const [, path, rest] = command as unknown as [string, string, string];
    const field = path === '(top level)' ? null : path.replace(/\[(\d+)\]/g, '.$1');
    return one(field, sentence(field ? `${labelOf(field)}: ${tidy(rest, field)}` : tidy(rest, '')));
  }
  return one(null, sentence(message));
}

/** "idp" or "last good SSO login" -> "evidence.idp" / "evidence.last_good_sso_login_at", by key or by label. */
function evidenceKey(name: string, labels: Record<string, string>): string | null {
  if (/^[a-z_]+$/.test(name)) return `evidence.${name}`;
  const wanted = name.toLowerCase();
  for (const [path, label] of Object.entries(labels)) {
    if (!path.startsWith('evidence.')) continue;
    if (label.toLowerCase() === wanted || spokenPath(path).startsWith(wanted)) return path;
  }
  return null;
}
