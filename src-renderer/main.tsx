import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridgeEvents } from './store/bridge-events';
import { useAppStore } from './store';

connectBridgeEvents();
void useAppStore.getState().refreshJournal();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
