import { useEffect, useRef, type ReactNode } from 'react';
import { useAppStore } from '../store';

/**
 * One screen, one decision. The heading takes the focus when the screen appears, so a keyboard
 * user starts at the top of the new step and a screen reader announces it.
 */
export function Screen(props: { id: string; title: string; lead?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const drill = useAppStore((s) => s.ceremony.state?.drill ?? s.app.info?.drill_only ?? false);
  // Step screens are numbered as the rail numbers them: the two runbooks have different orders.
  const position = useAppStore((s) => s.ceremony.state?.steps.findIndex((step) => step.id === props.id) ?? -1);
  const renewalOf = useAppStore((s) =>
    s.ceremony.state && props.id !== 'start' ? s.ceremony.state.linked_ceremony_id : null,
  );
  const broken = useAppStore((s) =>
    s.ceremony.state && props.id !== 'start' && s.ceremony.state.integrity?.ok === false
      ? s.ceremony.state.integrity
      : null,
  );
  useEffect(() => heading.current?.focus(), [props.id]);
  return (
    <section className="screen" data-screen={props.id} aria-labelledby={`${props.id}-title`}>
      <h1 id={`${props.id}-title`} ref={heading} tabIndex={-1}>
        {drill ? (
          <>
            <span className="drill-tag">DRILL</span>{' '}
          </>
        ) : null}
        {position >= 0 ? `${position + 1}. ` : ''}
        {props.title}
      </h1>
      {broken ? (
        <div className="refusal tampered" role="alert" data-testid="journal-tampered">
          <strong>This ceremony&apos;s journal does not verify at seq {broken.seq}:</strong> {broken.reason}. It was
          changed outside Breakglass. Nothing more can be recorded except notes, and export is refused.
          <p data-testid="tampered-next">
            <strong>Next:</strong> tell the founders and keep this laptop as it is (it is evidence). If the outage still
            needs break-glass, leave this ceremony (below) and start a new one: it gets its own, intact journal and its
            own taps.
          </p>
        </div>
      ) : null}
      {renewalOf ? (
        <p className="renewal-note" data-testid="renewal-of">
          Renewal of {renewalOf}: a new ceremony with its own scenario, notification, taps and expiry. The first session
          is not extended.
        </p>
      ) : null}
      {props.lead ? <p className="lead">{props.lead}</p> : null}
      {props.children}
    </section>
  );
}
