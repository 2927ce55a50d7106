import type { ChangeEvent } from 'react';
import { refusalWords } from '../lib/refusal-words';
import { useAppStore } from '../store';
import { refusalFor } from './refusal';

/** Which refusals belong to this field: main's channel(s) and the argument path it fills. */
export interface FieldRefusal {
  channels: string[];
  path: string;
  subject?: string;
}

/** The refusal sentence for this field, when main's last refusal named it. */
export function useFieldError(refusal: FieldRefusal | undefined, label: string): string | null {
  return useAppStore((s) => {
    if (!refusal) return null;
    const refused = refusalFor(s, refusal.channels, refusal.subject);
    if (!refused) return null;
    const words = refusalWords(refused, { [refusal.path]: label });
    return words.fields[refusal.path] ?? null;
  });
}

/**
 * A labelled text field with its hint underneath; the label says what, the hint says how. When
 * main refused the value, the field is marked invalid and the reason sits right under it.
 */
export function Field(props: {
  id: string;
  label: string;
  /** Said to screen readers after the label when several fields share one (whose field this is). */
  labelFor?: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  required?: boolean;
  type?: 'text' | 'number';
  autoFocus?: boolean;
  refusal?: FieldRefusal;
  /** A refusal sentence from elsewhere (a slice other than the ceremony's), already in words. */
  error?: string | null;
}) {
  const fromCeremony = useFieldError(props.refusal, props.label);
  const error = props.error ?? fromCeremony;
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const change = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value);
  const common = {
    id: props.id,
    value: props.value,
    onChange: change,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    required: props.required,
    autoFocus: props.autoFocus,
  };
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.labelFor ? <span className="sr-only"> ({props.labelFor})</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...common} type={props.type ?? 'text'} autoComplete="off" spellCheck={false} />
      )}
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error">
          {error}
        </span>
      ) : null}
      {props.hint ? (
        <span className="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
