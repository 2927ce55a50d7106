import { Session } from 'node:inspector/promises';

/**
 * JS heap bytes allocated while `work` runs, young-generation garbage included, from V8's
 * sampling heap profiler (one sample per 64 bytes on average). Run after all timing: sampling
 * slows allocation down.
 */
export async function sampledHeapBytes(work: () => Promise<void> | void): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 64,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await work();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let total = 0;
    const pending = [profile.head];
    for (let node = pending.pop(); node; node = pending.pop()) {
      total += node.selfSize;
      pending.push(...node.children);
    }
    return total;
  } finally {
    session.disconnect();
  }
}
