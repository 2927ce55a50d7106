import { ExportPanel } from '../components/export-panel';
import { NoteForm } from '../components/note-form';
import { Screen } from '../components/screen';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';

/** An aborted ceremony: the reason stands; notes may still be added. */
export function AbortedScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  return (
    <Screen
      id="aborted"
      title="Ceremony aborted"
      lead={`Aborted ${utcTime(state.aborted?.at)}: ${state.aborted?.reason ?? ''}`}
    >
      <p>
        Nothing more can be recorded except notes. The journal keeps everything that happened, and the export below is
        the evidence of it.
      </p>
      <ExportPanel />
      <NoteForm />
    </Screen>
  );
}
