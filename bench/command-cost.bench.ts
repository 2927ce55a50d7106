// The cost of one running-log line typed in the window, with 1 and with 200 ceremonies in the
// journal, measured in the same run: the real renderer store (in Node, no browser) over the real
// IPC handlers and core, so the figure includes every call the window makes because of the
// command (the reply, and whatever the events make it read again), until nothing is in flight.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEventHub } from '../src-main/ipc/event-hub';
import { createHandlers } from '../src-main/ipc/handlers';
import { createCoreServices, type CoreServices } from '../src-main/services';
import { ceremonyDriver } from '../test/support/drive-ceremony';
import { installNodeWindow, type NodeWindow } from '../test/support/node-window';
import { percentile, round } from './stats';

const LARGE = 200;
const TARGET_RATIO = 1.2;
const BLOCKS = 6;
const LINES_PER_BLOCK = 25;
const WARMUP_LINES = 10;

interface Journal {
  ceremonies: number;
  core: CoreServices;
  win: NodeWindow;
  target: string;
  dataDir: string;
  samples: number[];
  callsPerLine: number[];
}

async function journalWith(ceremonies: number): Promise<Journal> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `breakglass-bench-cmd-${ceremonies}-`));
  const events = createEventHub();
  const core = createCoreServices({ dataDir, drillOnly: true, drillTouchDelayMs: 0, env: {}, events });
  const handlers = createHandlers(core, { openExternal: async () => undefined });
  const drive = ceremonyDriver(handlers);
  await drive.enrolDrillKey();
  // A year of drills: every other ceremony stopped after the notify step (two taps each).
  for (let i = 1; i < ceremonies; i++) await drive.abortedAfterNotify(core.clock());
  const target = await drive.inMinimalAction(core.clock());
  const win = installNodeWindow(handlers, events);
  return { ceremonies, core, win, target, dataDir, samples: [], callsPerLine: [] };
}

export async function run(): Promise<Record<string, unknown>> {
  const seedStart = Date.now();
  const small = await journalWith(1);
  const large = await journalWith(LARGE);
  const seedSeconds = (Date.now() - seedStart) / 1000;
  const { useAppStore } = await import('../src-renderer/store');
  const { connectBridgeEvents } = await import('../src-renderer/store/bridge-events');
  const store = useAppStore.getState;
  let line = 0;

  /** Shows this journal's target ceremony in the window (untimed), as resuming it would. */
  async function show(j: Journal): Promise<() => void> {
    j.win.activate();
    const disconnect = connectBridgeEvents();
    store().toggleJournal(false);
    if (!(await store().resume(j.target))) throw new Error('could not resume the target ceremony');
    await j.win.settled();
    return disconnect;
  }

  async function typeLines(j: Journal, count: number, record: boolean): Promise<void> {
    for (let i = 0; i < count; i++) {
      line += 1;
      j.win.calls.length = 0;
      const start = process.hrtime.bigint();
      const ok = await store().command('ceremony:logAction', {
        text: `ran: aws ec2 describe-instances --instance-ids i-0abc${line}`,
      });
      await j.win.settled();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (!ok) throw new Error(`logAction refused: ${store().ceremony.refused?.message}`);
      if (record) {
        j.samples.push(ms);
        j.callsPerLine.push(j.win.calls.length);
      }
    }
  }

  // Interleaved blocks, so both journals see the same machine load.
  for (const j of [small, large]) {
    const disconnect = await show(j);
    await typeLines(j, WARMUP_LINES, false);
    disconnect();
  }
  for (let b = 0; b < BLOCKS; b++) {
    for (const j of b % 2 === 0 ? [small, large] : [large, small]) {
      const disconnect = await show(j);
      await typeLines(j, LINES_PER_BLOCK, true);
      disconnect();
    }
  }

  const p50 = (j: Journal) => percentile(j.samples, 50);
  const ratio = p50(large) / p50(small);
  const result = {
    command_cost_lines_measured: small.samples.length,
    command_cost_1_ceremony_p50_ms: round(p50(small)),
    [`command_cost_${LARGE}_ceremonies_p50_ms`]: round(p50(large)),
    command_cost_1_ceremony_p90_ms: round(percentile(small.samples, 90)),
    [`command_cost_${LARGE}_ceremonies_p90_ms`]: round(percentile(large.samples, 90)),
    command_cost_ipc_calls_per_line: Math.max(...small.callsPerLine, ...large.callsPerLine),
    command_cost_ratio: round(ratio),
    command_cost_target_ratio: TARGET_RATIO,
    command_cost_pass: ratio <= TARGET_RATIO,
    command_cost_seed_seconds: round(seedSeconds, 1),
  };
  for (const j of [small, large]) {
    j.win.disconnect();
    await j.core.close();
    rmSync(j.dataDir, { recursive: true, force: true });
  }
  return result;
}
