import { spokenField } from '../../src-shared/issue-words';
import type { Refusal } from '../../src-shared/result';

/**
 * The one place where a refusal from main becomes words for a person under stress: which field
 * it is about (so the field is highlighted and the sentence sits next to it) and a sentence
 * naming the field as the screen labels it. Main says which fields, by argument path, and each
 * one's problem in words (src-shared/result.ts); nothing here reads main's sentence apart.
 */
export interface RefusalWords {
  /** The (first) argument path the refusal is about ("evidence.idp", "cloudtrail.0"), or null. */
  field: string | null;
  /** Every field named, with its own sentence (the scenario evidence is judged all at once). */
  fields: Record<string, string>;
  sentence: string;
}

const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/**
 * Words for a refusal. `labels` maps argument paths to the labels on screen ("evidence.idp" ->
 * "Identity provider"); a list's items ("cloudtrail.0") take the list's label. A field the
 * screen has no label for is named as main names it (`refusal.labels`), else by its path.
 */
export function refusalWords(
  refusal: Pick<Refusal, 'message' | 'field' | 'fields' | 'labels'>,
  labels: Record<string, string> = {},
): RefusalWords {
  const listOf = (path: string) =>
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .join('.');
  const labelOf = (path: string) => labels[path] ?? labels[listOf(path)] ?? refusal.labels?.[path] ?? spokenField(path);
  const fields: Record<string, string> = {};
  for (const [path, words] of Object.entries(refusal.fields ?? {}))
    fields[path] = sentence(`${labelOf(path)}: ${words}`);
  // A refusal about one field as a whole (a file that cannot be read): its sentence is the field's.
  if (refusal.field && !fields[refusal.field]) fields[refusal.field] = sentence(refusal.message);
  const said = Object.values(fields);
  return { field: refusal.field ?? null, fields, sentence: said.length ? said.join(' ') : sentence(refusal.message) };
}
