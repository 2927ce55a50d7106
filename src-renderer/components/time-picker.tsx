import { useState, type ChangeEvent } from 'react';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';
import { useFieldError, type FieldRefusal } from './field';

/** Now on main's clock (the ceremony's clock), ticked on by the time since the state was read. */
export function useMainNow(): () => Date {
  const now = useAppStore((s) => s.ceremony.state?.now ?? null);
  const fetchedAt = useAppStore((s) => s.ceremony.fetchedAt);
  return () => new Date((now ? Date.parse(now) : Date.now()) + (now ? Date.now() - fetchedAt : 0));
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as the value of <input type="datetime-local"> (the laptop's local time). */
function localValue(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const span = (m: number) => (m < 60 ? `${m} min` : `${m / 60} h`);
/** Positive: that long ago; negative: that long from now (a deadline). */
const agoWords = (m: number) => (m === 0 ? 'Now' : m > 0 ? `${span(m)} ago` : `in ${span(-m)}`);

/**
 * A time that is picked, never typed: "now" by default (main's clock at the moment of the
 * record), a few one-press choices, or the browser's date-time picker. The value is an ISO
 * instant, or '' for "now". The UTC reading is shown, since the journal speaks UTC.
 */
export function TimePicker(props: {
  id: string;
  label: string;
  labelFor?: string;
  value: string;
  onChange: (iso: string) => void;
  /** Minutes before now offered as one-press choices (0 = now). */
  presets?: number[];
  /** Whether '' (now) is a valid answer; a "last good login" is never now. */
  allowNow?: boolean;
  refusal?: FieldRefusal;
}) {
  const mainNow = useMainNow();
  const error = useFieldError(props.refusal, props.label);
  const [open, setOpen] = useState(props.allowNow === false);
  const presets = props.presets ?? [0, 5, 15];
  const pick = (minutes: number) => props.onChange(minutes === 0 && props.allowNow !== false ? '' : new Date(mainNow().getTime() - minutes * 60_000).toISOString());
  const change = (e: ChangeEvent<HTMLInputElement>) => {
    const t = Date.parse(e.target.value);
    props.onChange(Number.isNaN(t) ? '' : new Date(t).toISOString());
  };
  const reading = props.value ? utcTime(props.value) : props.allowNow === false ? 'not chosen yet' : 'now (when you record)';
  const errorId = `${props.id}-error`;
  return (
    <fieldset className={`time-picker${error ? ' invalid' : ''}`} data-testid={`time-${props.id}`}>
      <legend>
        {props.label}
        {props.labelFor ? <span className="sr-only"> ({props.labelFor})</span> : null}: <span className="time-reading">{reading}</span>
      </legend>
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error">
          {error}
        </span>
      ) : null}
      {open ? (
        <div className="time-choices">
          {presets.map((m) => (
            <button key={m} type="button" className="chip" aria-pressed={m === 0 ? props.value === '' : undefined} onClick={() => pick(m)} data-testid={`${props.id}-ago-${m}`}>
              {agoWords(m)}
              <span className="sr-only"> ({props.label})</span>
            </button>
          ))}
          <label className="time-exact">
            <span className="hint">or pick (local time)</span>
            <input type="datetime-local" value={props.value ? localValue(props.value) : ''} onChange={change} aria-label={`${props.label}, exact time (local)`} aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined} />
          </label>
        </div>
      ) : (
        <button type="button" className="link" onClick={() => setOpen(true)} data-testid={`${props.id}-change`}>
          Change the time<span className="sr-only"> ({props.label})</span>
        </button>
      )}
    </fieldset>
  );
}
