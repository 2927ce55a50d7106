import { JournalStatusView } from './features/journal/journal-status-view';

export function App() {
  return (
    <main>
      <h1>Breakglass</h1>
      <JournalStatusView />
    </main>
  );
}
