import { useState, type FormEvent } from 'react';
import { keepAfterRefusal } from '../lib/after-refusal';
import { useAppStore } from '../store';
import { Field } from './field';
import { Refusal } from './refusal';

/** Corrections are new entries: a note may refer to the entry it corrects. Always allowed. */
export function NoteForm() {
  const [text, setText] = useState('');
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setText((await command('ceremony:addNote', { text })) ? '' : keepAfterRefusal(text));
  };
  return (
    <details className="side-form">
      <summary>Add a note or correction</summary>
      <form onSubmit={(e) => void submit(e)}>
        <Field
          id="note-text"
          label="Note"
          hint="Recorded as a new journal entry; nothing earlier is changed."
          value={text}
          onChange={setText}
          refusal={{ channels: ['ceremony:addNote'], path: 'text' }}
        />
        <button type="submit" disabled={busy !== null}>
          Record note
        </button>
        <Refusal channels={['ceremony:addNote']} labels={{ text: 'Note' }} />
      </form>
    </details>
  );
}

/** Stop the ceremony (not once signed in: sign out instead). */
export function AbortForm(props: { open?: boolean }) {
  const [reason, setReason] = useState('');
  const command = useAppStore((s) => s.command);
  const allowed = useAppStore((s) => s.ceremony.state?.allowed.abort);
  const busy = useAppStore((s) => s.ceremony.busy);
  if (allowed && !allowed.ok) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void command('ceremony:abort', { reason }).then((ok) => !ok && setReason(keepAfterRefusal(reason)));
  };
  return (
    <details className="side-form" open={props.open}>
      <summary>Abort this ceremony</summary>
      <form onSubmit={submit}>
        <Field
          id="abort-reason"
          label="Why stop"
          hint="e.g. SSO came back; the standard path works"
          value={reason}
          onChange={setReason}
          refusal={{ channels: ['ceremony:abort'], path: 'reason' }}
        />
        <button type="submit" className="danger" disabled={busy !== null}>
          Abort the ceremony
        </button>
        <Refusal channels={['ceremony:abort']} labels={{ reason: 'Why stop' }} />
      </form>
    </details>
  );
}
