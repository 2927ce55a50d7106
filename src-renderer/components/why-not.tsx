import type { Allowed } from '../../src-shared/ceremony/state-types';

/** The reason a control is disabled, next to it, in the ceremony's own words. */
export function WhyNot(props: { allowed: Allowed | undefined; id?: string }) {
  if (!props.allowed || props.allowed.ok) return null;
  return (
    <p className="why-not" id={props.id} data-testid="why-not">
      Not now: {props.allowed.error.message}
    </p>
  );
}
