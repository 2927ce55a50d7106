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
 * record), a few one-press choices, or the browser's date-time picker. The choices are one radio
 * group (one Tab stop, arrows between them). The value is an ISO instant, or '' for "now". The
 * UTC reading is shown, since the journal speaks UTC.
 */
export function TimePicker(props: {
  id: string;
  label: string;
  labelFor?: string;
  value: string;
  onChange: (iso: string) => void;
  /** Minutes before now offered as one-press choices (0 = now; negative = from now). */
  presets?: number[];
  /** Whether '' (now) is a valid answer; a "last good login" is never now. */
  allowNow?: boolean;
  refusal?: FieldRefusal;
}) {
  const mainNow = useMainNow();
  const error = useFieldError(props.refusal, props.label);
  const allowNow = props.allowNow !== false;
  const presets = props.presets ?? [0, 5, 15];
  const [choice, setChoice] = useState<number | 'exact' | null>(allowNow && props.value === '' ? 0 : null);
  const pick = (minutes: number) => {
    setChoice(minutes);
    props.onChange(minutes === 0 && allowNow ? '' : new Date(mainNow().getTime() - minutes * 60_000).toISOString());
  };
  const change = (e: ChangeEvent<HTMLInputElement>) => {
    const t = Date.parse(e.target.value);
    props.onChange(Number.isNaN(t) ? '' : new Date(t).toISOString());
  };
  const reading = props.value ? utcTime(props.value) : allowNow ? 'now (when you record)' : 'not chosen yet';
  const errorId = `${props.id}-error`;
  const name = `${props.id}-choice`;
  const who = props.labelFor ? <span className="sr-only"> ({props.labelFor})</span> : null;
  return (
    <fieldset
      className={`time-picker${error ? ' invalid' : ''}`}
      data-testid={`time-${props.id}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        {props.label}
        {who}: <span className="time-reading">{reading}</span>
      </legend>
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error">
          {error}
        </span>
      ) : null}
      <div className="time-choices">
        {presets.map((m) => (
          <label key={m} className="choice inline chip">
            <input
              type="radio"
              name={name}
              checked={choice === m}
              onChange={() => pick(m)}
              data-testid={`${props.id}-ago-${m}`}
            />
            {agoWords(m)}
            {who}
          </label>
        ))}
        <label className="choice inline chip">
          <input
            type="radio"
            name={name}
            checked={choice === 'exact'}
            onChange={() => setChoice('exact')}
            data-testid={`${props.id}-exact`}
          />
          another time
          {who}
        </label>
        {choice === 'exact' ? (
          <input
            type="datetime-local"
            value={props.value ? localValue(props.value) : ''}
            onChange={change}
            aria-label={`${props.label}${props.labelFor ? ` (${props.labelFor})` : ''}, exact time (local)`}
            aria-invalid={error ? true : undefined}
          />
        ) : null}
      </div>
    </fieldset>
  );
}
