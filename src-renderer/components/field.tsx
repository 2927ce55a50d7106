import type { ChangeEvent } from 'react';

/** A labelled text field with its hint underneath; the label says what, the hint says how. */
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
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const change = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value);
  return (
    <div className="field">
      <label htmlFor={props.id}>
        {props.label}
        {props.labelFor ? <span className="sr-only"> ({props.labelFor})</span> : null}
      </label>
      {props.multiline ? (
        <textarea id={props.id} value={props.value} onChange={change} aria-describedby={hintId} required={props.required} rows={4} autoFocus={props.autoFocus} />
      ) : (
        <input id={props.id} type={props.type ?? 'text'} value={props.value} onChange={change} aria-describedby={hintId} required={props.required} autoComplete="off" spellCheck={false} autoFocus={props.autoFocus} />
      )}
      {props.hint ? (
        <span className="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
