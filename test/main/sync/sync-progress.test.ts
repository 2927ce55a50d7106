import { describe, expect, it } from 'vitest';
import { differingFields } from '../../../src-main/sync/row-compare';
import { describeProgress, progressLevel, type SyncProgress } from '../../../src-main/sync/sync-progress';

const base: SyncProgress = {
  state: 'idle',
  pending: 0,
  last_success_at: null,
  last_error: null,
  next_attempt_at: null,
};

describe('what the status bar says about the sync', () => {
  it('claims "synced" only after the server acknowledged something', () => {
    expect(describeProgress(base)).toBe('nothing to sync yet');
    expect(describeProgress({ ...base, last_success_at: '2026-11-22T09:14:03.512Z' })).toBe(
      'all entries synced (last 2026-11-22 09:14:03 UTC)',
    );
    expect(progressLevel(base)).toBe('ok');
  });

  it('keeps the last failure in view while retrying, and says when the next try is', () => {
    const failed: SyncProgress = {
      ...base,
      state: 'offline',
      pending: 3,
      last_error: 'MongoDB at db:27017 is not reachable (ECONNREFUSED).',
      next_attempt_at: '2026-11-22T09:15:00.000Z',
    };
    expect(describeProgress(failed)).toBe(
      '3 entries waiting: MongoDB at db:27017 is not reachable (ECONNREFUSED).; next try 2026-11-22 09:15:00 UTC',
    );
    expect(progressLevel(failed)).toBe('bad');
    const retrying: SyncProgress = { ...failed, state: 'syncing', next_attempt_at: null };
    expect(describeProgress(retrying)).toBe(
      'retrying: 3 entries waiting (last attempt: MongoDB at db:27017 is not reachable (ECONNREFUSED).)',
    );
    expect(progressLevel(retrying)).toBe('warn');
    expect(describeProgress({ ...base, state: 'syncing', pending: 0 })).toBe('finishing the sync');
    expect(progressLevel({ ...base, state: 'syncing', pending: 4 })).toBe('ok');
  });

  it('an unconfigured sync with entries waiting is a warning, not green', () => {
    expect(progressLevel({ ...base, state: 'not-configured', pending: 0 })).toBe('ok');
    expect(progressLevel({ ...base, state: 'not-configured', pending: 2 })).toBe('warn');
    expect(describeProgress({ ...base, state: 'not-configured', pending: 2 })).toBe(
      'sync not configured (2 entries waiting locally)',
    );
  });
});

describe('row comparison names fields as a person reads them', () => {
  it('a different date is "timestamp", not "timestamp.$date"; nested objects keep their path', () => {
    const row = {
      timestamp: new Date('2026-11-22T09:00:00Z'),
      actor_id: 'taha@example.com',
      metadata: { reason: 'a', n: 1 },
    };
    expect(differingFields(row, { ...row, timestamp: new Date('2026-11-22T09:00:01Z') })).toEqual(['timestamp']);
    expect(differingFields(row, { ...row, metadata: { reason: 'b', n: 1 } })).toEqual(['metadata.reason']);
    expect(differingFields(row, { ...row, timestamp: '2026-11-22T09:00:00.000Z' })).toEqual(['timestamp']);
    expect(differingFields(row, { ...row })).toEqual([]);
  });
});
