import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import { CEREMONY_COMMAND_CHANNELS, type CeremonyCommandChannel, type InvokeArgs } from '../../src-shared/ipc/contract';
import { exportCeremony } from '../use-cases/export-ceremony';
import { sealIfNeeded } from '../ceremony/seal-ceremony';
import { evidenceSummary, journalEvidence } from '../bundle/journal-evidence';
import type { Finding } from '../evidence/verdict';
import type { CeremonyService } from '../ceremony/ceremony-service';
import { listEnrolledKeys } from '../hardware-key/enrolment/enrolment-store';
import { journalStatus } from '../journal/journal-status';
import { isAllowedExternalUrl } from '../security';
import type { CoreServices } from '../services';
import type { Handlers } from './handle';
import { ok, refused, type Result } from '../../src-shared/result';
import { enrolKey, keyStatusView } from './key-views';
import { reconcileCeremony } from './reconcile-views';

export interface HandlerDeps {
  /** Opens an allowlisted URL in the system browser (Electron's shell.openExternal in the app). */
  openExternal: (url: string) => Promise<void>;
}

/**
 * A finding as the journal view says it: the app pins the keys this laptop enrolled, so keys not
 * pinned means none of the ceremony's keys is enrolled here (the CLI's words are cli/render-verdict.ts).
 */
function appFindingReason(f: Finding): string {
  if (f.code === 'keys-not-pinned') return `${f.reason}; none of its keys is enrolled on this laptop`;
  return f.reason;
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

  function configProblem(): Result<never> {
    const e = core.configError;
    return refused('config-invalid', e ? e.message : 'no configuration loaded');
  }

  /** The service that owns a ceremony: drills run on the virtual key, real ones on hardware only. */
  function serviceFor(ceremonyId: string): Result<CeremonyService> {
    let drill = drillOf.get(ceremonyId);
    if (drill === undefined) {
      const first = journal.entries(ceremonyId)[0];
      if (!first) return refused('not-found', `no ceremony "${ceremonyId}" in this journal`);
      drill = first.payload.drill === true;
      drillOf.set(ceremonyId, drill);
    }
    return serviceForMode(drill);
  }

  function serviceForMode(drill: boolean): Result<CeremonyService> {
    const service = core.ceremony(drill);
    if (service) return ok(service);
    if (!core.config) return configProblem();
    return refused(
      'not-authorised',
      'This app was started with --drill: it runs drill ceremonies only, with the virtual key. Start it without --drill for a real ceremony.',
    );
  }

  /** Any service will do for reads that do not depend on the key. */
  function anyService(): Result<CeremonyService> {
    return serviceForMode(core.drillOnly);
  }

  function announce(ceremonyId: string, seqBefore: number | undefined): void {
    const head = journal.head(ceremonyId);
    if (!head || head.seq === seqBefore) return;
    events.emit('ceremony:changed', { ceremony_id: ceremonyId, seq: head.seq });
    events.emit('journal:changed', { ceremony_id: ceremonyId, seq: head.seq });
    core.sync.nudge();
  }

  /** Runs one ceremony call and tells every view what changed (a failed tap is journalled too). */
  async function run(
    ceremonyId: string,
    call: (s: CeremonyService) => Promise<Result<CeremonyState>>,
  ): Promise<Result<CeremonyState>> {
    const service = serviceFor(ceremonyId);
    if (!service.ok) return service;
    const before = journal.head(ceremonyId)?.seq;
    const result = await call(service.value);
    announce(ceremonyId, before);
    return result;
  }

  const commandHandlers = Object.fromEntries(
    (Object.entries(CEREMONY_COMMAND_CHANNELS) as Array<[CeremonyCommandChannel, string]>).map(([channel, name]) => [
      channel,
      (ceremonyId: string, args: unknown) => run(ceremonyId, (s) => s.command(ceremonyId, name, args)),
    ]),
  ) as { [C in CeremonyCommandChannel]: (...args: InvokeArgs<C>) => Promise<Result<CeremonyState>> };

  return {
    'app:info': () =>
      ok({ version: core.appVersion, drill_only: core.drillOnly, data_dir: core.dataDir, platform: process.platform }),
    'app:openConsole': async (url) => {
      if (!isAllowedExternalUrl(url))
        return refused('forbidden', 'Only the AWS console sign-in pages may be opened from Breakglass.');
      await deps.openExternal(url);
      return ok({ opened: true });
    },
    'config:info': () => {
      if (core.configError) {
        return ok({
          path: null,
          source: 'invalid',
          description: core.configError.message,
          warning: null,
          error: { file: core.configError.file, problems: [...core.configError.problems] },
        });
      }
      const loaded = core.config!;
      const example = loaded.source.kind === 'example';
      return ok({
        path: loaded.source.kind === 'file' ? loaded.source.path : null,
        source: loaded.source.kind,
        description: loaded.description,
        warning: example
          ? `No configuration file: the built-in example (the runbook's tables) is in use. Put config.yaml in ${core.dataDir} or start with --config FILE.`
          : null,
        error: null,
      });
    },
    'journal:status': async () => {
      const status = await journalStatus(journal, core.dataDir);
      // The read-back the journal view shows goes through the same evidence verifier as export and verify.
      const config = core.config?.config;
      if (!config) return ok(status);
      const now = core.clock();
      const ceremonies = status.ceremonies.map((c) => {
        if (!c.verified) return c;
        const { verdict, findings } = evidenceSummary(journalEvidence(journal, c.ceremony_id, { config, now }));
        const f = findings.find((x) => x.verdict !== 'ORIGIN NOT VERIFIED') ?? findings[0];
        return {
          ...c,
          evidence: { verdict, finding: f ? `${f.seq === null ? '' : `seq ${f.seq}: `}${appFindingReason(f)}` : null },
        };
      });
      return ok({ ...status, ceremonies });
    },
    'key:status': ({ drill, operator }) => keyStatusView(core, drill, operator),
    'key:enrol': async ({ drill, label, operator }) => {
      const view = await enrolKey(core, drill, label, operator);
      if (view.ok) events.emit('key:changed', view.value);
      return view;
    },
    'key:simulateTouch': () => {
      const side = core.existingKey(true);
      // Only the virtual key can be pressed from the screen, and only while it is waiting.
      if (!side?.device || !side.touchWaiting) return ok({ touched: false });
      side.device.touch();
      return ok({ touched: true });
    },
    'key:providePin': ({ drill, pin }) => {
      const side = core.existingKey(drill);
      const answer = side?.pendingPin;
      if (!side || !answer) return ok({ accepted: false });
      side.pendingPin = null;
      events.emit('key:pin', { drill, type: 'pin-done' });
      answer(pin);
      return ok({ accepted: true });
    },
    'sync:status': () => ok(core.syncView()),
    'sync:now': async () => {
      await core.sync.syncNow();
      return ok(core.syncView());
    },
    'ceremony:describe': () => {
      const service = anyService();
      return service.ok ? ok(service.value.describe()) : service;
    },
    'ceremony:list': () => {
      const service = anyService();
      return service.ok ? ok(service.value.list()) : service;
    },
    'ceremony:get': async (ceremonyId) => {
      const service = serviceFor(ceremonyId);
      return service.ok ? service.value.getState(ceremonyId) : service;
    },
    'ceremony:start': async (args) => {
      const service = serviceForMode(args.drill);
      if (!service.ok) return service;
      const result = await service.value.start(args);
      if (!result.ok) return result;
      drillOf.set(result.value.ceremony_id, args.drill);
      announce(result.value.ceremony_id, undefined);
      return result;
    },
    'ceremony:cancelTap': () => {
      const cancelled = [core.ceremony(true), core.ceremony(false)].map((s) => s?.cancelTap().cancelled ?? false);
      return ok({ cancelled: cancelled.some(Boolean) });
    },
    'ceremony:export': async (ceremonyId) => {
      const service = serviceFor(ceremonyId);
      if (!service.ok) return service;
      // The closing tap: the bundle ends in a signature, so nothing in it is unsigned.
      const before = journal.head(ceremonyId)?.seq;
      const sealed = await sealIfNeeded(service.value, ceremonyId);
      announce(ceremonyId, before);
      // A tampered ceremony is never sealed; export's own refusal below names the bad seq.
      if (!sealed.ok && sealed.error.code !== 'journal-tampered')
        return refused(
          sealed.error.code,
          `Export needs one more key tap to seal the ceremony: ${sealed.error.message}`,
        );
      if (!core.config) return configProblem();
      const exported = exportCeremony({
        journal,
        ceremonyId,
        outDir: path.join(core.dataDir, EXPORTS_DIR),
        keys: listEnrolledKeys(journal.db),
        now: core.clock(),
        config: core.config.config,
      });
      // A journal that does not verify is never exported as if it did: say so in words.
      if (!exported.ok)
        return refused(
          exported.error.code,
          exported.error.message.charAt(0).toUpperCase() + exported.error.message.slice(1),
        );
      const out = exported.value;
      // Read back what is on disk, so the hash shown is the hash of the exported file.
      const text = readFileSync(out.sessionLogPath, 'utf8');
      return ok({
        bundle_path: out.bundlePath,
        session_log_path: out.sessionLogPath,
        postmortem_path: out.postmortemPath,
        session_log_sha256: createHash('sha256').update(text).digest('hex'),
        session_log: text,
      });
    },
    'ceremony:reconcile': async (ceremonyId, args) => {
      const service = serviceFor(ceremonyId);
      if (!service.ok) return service;
      if (!core.config) return configProblem();
      const before = journal.head(ceremonyId)?.seq;
      const view = await reconcileCeremony(journal, ceremonyId, args, core.clock, core.config.config);
      announce(ceremonyId, before);
      return view;
    },
    ...commandHandlers,
  };
}
