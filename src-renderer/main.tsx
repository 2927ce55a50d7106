import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridgeEvents } from './store/bridge-events';
import { loadInitialState } from './store';

connectBridgeEvents();
void loadInitialState().finally(() => document.documentElement.setAttribute('data-ready', 'true'));
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
