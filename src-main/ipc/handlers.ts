import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import { CEREMONY_COMMAND_CHANNELS, type CeremonyCommandChannel, type InvokeArgs } from '../../src-shared/ipc/contract';
import { exportCeremony } from '../use-cases/export-ceremony';
import { sealIfNeeded } from '../ceremony/seal-ceremony';
import { evidenceSummary, journalEvidence } from '../bundle/journal-evidence';
import { ExportError } from '../bundle/build-bundle';
import type { CeremonyService, ServiceResult } from '../ceremony/ceremony-service';
import { listEnrolledKeys } from '../hardware-key/enrolment/enrolment-store';
import { journalStatus } from '../journal/journal-status';
import { isAllowedExternalUrl } from '../security';
import type { CoreServices } from '../services';
import { IpcError, type Handlers } from './handle';
import { enrolKey, keyStatusView } from './key-views';
import { reconcileCeremony } from './reconcile-views';

export interface HandlerDeps {
  /** Opens an allowlisted URL in the system browser (Electron's shell.openExternal in the app). */
  openExternal: (url: string) => Promise<void>;
}

/** Where the app writes exports (bundle + session log) unless the CLI is used. */
export const EXPORTS_DIR = 'exports';

/**
 * The implementation behind every IPC channel, built from the plain core services. The Electron
 * app and the browser test harness both use this, so UI tests exercise the real core.
 */
export function createHandlers(core: CoreServices, deps: HandlerDeps): Handlers {
  const { journal, events } = core;
  const drillOf = new Map<string, boolean>();

  function configProblem(): IpcError {
    const e = core.configError;
    return new IpcError('config-invalid', e ? e.message : 'no configuration loaded');
  }

  /** The service that owns a ceremony: drills run on the virtual key, real ones on hardware only. */
  function serviceFor(ceremonyId: string): CeremonyService {
    let drill = drillOf.get(ceremonyId);
    if (drill === undefined) {
      const first = journal.entries(ceremonyId)[0];
      if (!first) throw new IpcError('not-found', `no ceremony "${ceremonyId}" in this journal`);
      drill = first.payload.drill === true;
      drillOf.set(ceremonyId, drill);
    }
    return serviceForMode(drill);
  }

  function serviceForMode(drill: boolean): CeremonyService {
    const service = core.ceremony(drill);
    if (service) return service;
    if (!core.config) throw configProblem();
    throw new IpcError('not-authorised', 'This app was started with --drill: it runs drill ceremonies only, with the virtual key. Start it without --drill for a real ceremony.');
  }

  /** Any service will do for reads that do not depend on the key. */
  function anyService(): CeremonyService {
    return serviceForMode(core.drillOnly);
  }

  function announce(ceremonyId: string, seqBefore: number | undefined): void {
    const head = journal.head(ceremonyId);
    if (!head || head.seq === seqBefore) return;
    events.emit('ceremony:changed', { ceremony_id: ceremonyId, seq: head.seq });
    events.emit('journal:changed', { ceremony_id: ceremonyId, seq: head.seq });
    core.sync.nudge();
  }

  /** Runs one ceremony call, tells every view what changed (a failed tap is journalled too), unwraps. */
  async function run(ceremonyId: string, call: (s: CeremonyService) => Promise<ServiceResult<CeremonyState>>): Promise<CeremonyState> {
    const service = serviceFor(ceremonyId);
    const before = journal.head(ceremonyId)?.seq;
    const result = await call(service);
    announce(ceremonyId, before);
    if (!result.ok) throw new IpcError(result.error.code, result.error.message);
    return result.value;
  }

  const commandHandlers = Object.fromEntries(
    (Object.entries(CEREMONY_COMMAND_CHANNELS) as Array<[CeremonyCommandChannel, string]>).map(([channel, name]) => [
      channel,
      (ceremonyId: string, args: unknown) => run(ceremonyId, (s) => s.command(ceremonyId, name, args)),
    ]),
  ) as { [C in CeremonyCommandChannel]: (...args: InvokeArgs<C>) => Promise<CeremonyState> };

  return {
    'app:info': () => ({ version: core.appVersion, drill_only: core.drillOnly, data_dir: core.dataDir, platform: process.platform }),
    'app:openConsole': async (url) => {
      if (!isAllowedExternalUrl(url)) throw new IpcError('forbidden', 'Only the AWS console sign-in pages may be opened from Breakglass.');
      await deps.openExternal(url);
      return { opened: true };
    },
    'config:info': () => {
      if (core.configError) {
        return { path: null, source: 'invalid', description: core.configError.message, warning: null, error: { file: core.configError.file, problems: [...core.configError.problems] } };
      }
      const loaded = core.config!;
      const example = loaded.source.kind === 'example';
      return {
        path: loaded.source.kind === 'file' ? loaded.source.path : null,
        source: loaded.source.kind,
        description: loaded.description,
        warning: example
          ? `No configuration file: the built-in example (the runbook's tables) is in use. Put config.yaml in ${core.dataDir} or start with --config FILE.`
          : null,
        error: null,
      };
    },
    'journal:status': async () => {
      const status = await journalStatus(journal, core.dataDir);
      // The read-back the journal view shows goes through the same evidence verifier as export and verify.
      const config = core.config?.config;
      if (!config) return status;
      const now = core.clock();
      const ceremonies = status.ceremonies.map((c) => {
        if (!c.verified) return c;
        const { verdict, findings } = evidenceSummary(journalEvidence(journal, c.ceremony_id, { config, now }));
        const f = findings.find((x) => x.verdict !== 'ORIGIN NOT VERIFIED') ?? findings[0];
        return { ...c, evidence: { verdict, finding: f ? `${f.seq === null ? '' : `seq ${f.seq}: `}${f.reason}` : null } };
      });
      return { ...status, ceremonies };
    },
    'key:status': ({ drill, operator }) => keyStatusView(core, drill, operator),
    'key:enrol': async ({ drill, label, operator }) => {
      const view = await enrolKey(core, drill, label, operator);
      events.emit('key:changed', view);
      return view;
    },
    'key:simulateTouch': () => {
      const side = core.existingKey(true);
      // Only the virtual key can be pressed from the screen, and only while it is waiting.
      if (!side?.device || !side.touchWaiting) return { touched: false };
      side.device.touch();
      return { touched: true };
    },
    'key:providePin': ({ drill, pin }) => {
      const side = core.existingKey(drill);
      const answer = side?.pendingPin;
      if (!side || !answer) return { accepted: false };
      side.pendingPin = null;
      events.emit('key:pin', { drill, type: 'pin-done' });
      answer(pin);
      return { accepted: true };
    },
    'sync:status': () => core.syncView(),
    'sync:now': async () => {
      await core.sync.syncNow();
      return core.syncView();
    },
    'ceremony:describe': () => anyService().describe(),
    'ceremony:list': () => anyService().list(),
    'ceremony:get': async (ceremonyId) => {
      const result = await serviceFor(ceremonyId).getState(ceremonyId);
      if (!result.ok) throw new IpcError(result.error.code, result.error.message);
      return result.value;
    },
    'ceremony:start': async (args) => {
      const result = await serviceForMode(args.drill).start(args);
      if (!result.ok) throw new IpcError(result.error.code, result.error.message);
      drillOf.set(result.value.ceremony_id, args.drill);
      announce(result.value.ceremony_id, undefined);
      return result.value;
    },
    'ceremony:cancelTap': () => {
      const cancelled = [core.ceremony(true), core.ceremony(false)].map((s) => s?.cancelTap().cancelled ?? false);
      return { cancelled: cancelled.some(Boolean) };
    },
    'ceremony:export': async (ceremonyId) => {
      // The closing tap: the bundle ends in a signature, so nothing in it is unsigned.
      const before = journal.head(ceremonyId)?.seq;
      const sealed = await sealIfNeeded(serviceFor(ceremonyId), ceremonyId);
      announce(ceremonyId, before);
      // A tampered ceremony is never sealed; export's own refusal below names the bad seq.
      if (!sealed.ok && sealed.error.code !== 'journal-tampered') throw new IpcError(sealed.error.code, `Export needs one more key tap to seal the ceremony: ${sealed.error.message}`);
      let out: ReturnType<typeof exportCeremony>;
      try {
        if (!core.config) throw configProblem();
        out = exportCeremony({ journal, ceremonyId, outDir: path.join(core.dataDir, EXPORTS_DIR), keys: listEnrolledKeys(journal.db), now: core.clock(), config: core.config.config });
      } catch (error) {
        // A journal that does not verify is never exported as if it did: say so in words.
        if (error instanceof ExportError) {
          const code = /does not verify/.test(error.message) ? 'journal-tampered' : 'export-refused';
          throw new IpcError(code, error.message.charAt(0).toUpperCase() + error.message.slice(1));
        }
        throw error;
      }
      // Read back what is on disk, so the hash shown is the hash of the exported file.
      const text = readFileSync(out.sessionLogPath, 'utf8');
      return { bundle_path: out.bundlePath, session_log_path: out.sessionLogPath, postmortem_path: out.postmortemPath, session_log_sha256: createHash('sha256').update(text).digest('hex'), session_log: text };
    },
    'ceremony:reconcile': async (ceremonyId, args) => {
      serviceFor(ceremonyId);
      const before = journal.head(ceremonyId)?.seq;
      if (!core.config) throw configProblem();
      const view = await reconcileCeremony(journal, ceremonyId, args, core.clock, core.config.config);
      announce(ceremonyId, before);
      return view;
    },
    ...commandHandlers,
  };
}
