import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';

export type EventSink = (event: EventChannel, payload: unknown) => void;

export interface EventHub {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  /** The app connects the window's webContents.send; the browser harness connects the page. */
  connect(sink: EventSink): () => void;
}

/**
 * Pushes from the core services to whatever shows them. The services are created before any
 * window exists (and outlive a reloaded page), so they emit into this hub, never into a window.
 */
export function createEventHub(): EventHub {
  const sinks = new Set<EventSink>();
  return {
    emit(event, payload) {
      for (const sink of [...sinks]) {
        try {
          sink(event, payload);
        } catch {
          // A closed window must not break the ceremony that is telling it something.
        }
      }
    },
    connect(sink) {
      sinks.add(sink);
      return () => {
        sinks.delete(sink);
      };
    },
  };
}
