import type { WitnessCode } from '../../src-shared/ceremony/witness-code';

/** The code the founders write down, big enough to read out over a bad phone line. */
export function WitnessCodeBox(props: { code: WitnessCode; label: string; testId: string }) {
  return (
    <div className="witness" data-testid={props.testId}>
      <span className="witness-label">{props.label}</span>
      <span className="witness-words" aria-label={props.code.text}>
        {props.code.words.map((w) => (
          <span key={w} className="witness-word">
            {w}
          </span>
        ))}
        <span className="witness-seq">{props.code.seq}</span>
      </span>
    </div>
  );
}
