/** One point on the shared time axis the app draws and the postmortem prints. */
export interface TimelineItem {
  at: string;
  source: 'journal' | 'cloudtrail';
  label: string;
  seq?: number;
  eventId?: string;
  /** What the reviewer should look at: unexpected and read-only calls are highlighted. */
  mark: 'unexpected' | 'read-only' | 'matched' | 'missing' | 'session' | null;
}
