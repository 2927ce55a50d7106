import path from 'node:path';
import type { SsoProbe } from './aws/sso-probe';
import { createStsSsoProbe } from './aws/sso-probe';
import { APP_VERSION } from './ceremony/app-version';
import { createCeremonyService, type CeremonyService } from './ceremony/ceremony-service';
import { VIRTUAL_KEY_STATE_FILE } from './use-cases/run-drill';
import { simulatedSsoOutage } from './ceremony/simulated-sso-probe';
import { ConfigError, loadConfig, type LoadedConfig } from './config/load-config';
import { isDrillKey } from './hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys } from './hardware-key/enrolment/enrolment-store';
import { systemClock, type KeyClock } from './hardware-key/key-clock';
import { createKeyService, type KeyService } from './hardware-key/key-service';
import { recordedSignCount } from './hardware-key/enrolment/recorded-sign-count';
import { createNodeHidDiscovery } from './hardware-key/transport/node-hid-transport';
import type { KeyDiscovery } from './hardware-key/transport/transport';
import { createVirtualAuthenticator, type VirtualAuthenticator } from './hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from './hardware-key/virtual/virtual-discovery';
import type { EventHub } from './ipc/event-hub';
import { openJournal, type Journal } from './journal/journal';
import { MONGODB_PASSWORD_ENV } from './sync/audit-log-target';
import { createSyncService, type SyncService } from './sync/sync-service';
import { describeProgress, progressLevel } from './sync/sync-progress';
import type { SyncStatusView } from '../src-shared/ipc/contract';
import type { EnrolledKey } from '../src-shared/journal/types';

export interface CoreOptions {
  dataDir: string;
  /** --config; otherwise $BREAKGLASS_CONFIG, the data directory, then the built-in example. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** --drill: only drill ceremonies, only the virtual key, no HID access needed. */
  drillOnly: boolean;
  events: EventHub;
  clock?: () => Date;
  appVersion?: string;
  /** The virtual key presses itself after this many ms; null waits for the on-screen button. */
  drillTouchDelayMs?: number | null;
  /** Real keys; default node-hid. Tests hand in a virtual device posing as hardware. */
  realDiscovery?: () => KeyDiscovery;
  realSsoProbe?: SsoProbe;
  /** How long a key waits for a touch before giving up. */
  touchTimeoutMs?: number;
  /** The timers that space the keys' plug/unplug polls (default: real ones); tests fire them. */
  keyPollTimers?: Pick<KeyClock, 'setTimeout' | 'clearTimeout'>;
}

/** One key and what the screens need to know about it. */
export interface KeySide {
  drill: boolean;
  service: KeyService;
  /** Drill only: the virtual authenticator the "simulate touch" button presses. */
  device: VirtualAuthenticator | null;
  touchWaiting: boolean;
  /** The PIN prompt waiting for the operator (key:providePin answers it), or null. */
  pendingPin: ((pin: string | null) => void) | null;
  /** The enrolled keys this side may sign with (virtual ones for drills, never for real ceremonies). */
  enrolled(operatorId: string): EnrolledKey[];
}

export interface CoreServices {
  dataDir: string;
  drillOnly: boolean;
  appVersion: string;
  clock: () => Date;
  journal: Journal;
  events: EventHub;
  config: LoadedConfig | null;
  configError: ConfigError | null;
  /** Created on first use: a real-mode app that never runs a drill never makes a virtual key. */
  key(drill: boolean): KeySide | null;
  /** The key side if it was ever opened (never creates one). */
  existingKey(drill: boolean): KeySide | null;
  /** Calls `listener` with every key side opened so far, then with each one as it opens. */
  onKeySide(listener: (side: KeySide) => void): () => void;
  ceremony(drill: boolean): CeremonyService | null;
  sync: SyncService;
  syncView(): SyncStatusView;
  close(): Promise<void>;
}

/**
 * Everything the window talks to, as plain objects over one journal: the Electron app and the
 * browser e2e harness both build exactly this, so the UI tests exercise the real core.
 */
export function createCoreServices(options: CoreOptions): CoreServices {
  const clock = options.clock ?? (() => new Date());
  const env = options.env ?? process.env;
  const events = options.events;
  const journal = openJournal({ dataDir: options.dataDir, clock });
  let config: LoadedConfig | null = null;
  let configError: ConfigError | null = null;
  try {
    config = loadConfig({ explicit: options.configPath, env, dataDir: options.dataDir });
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      journal.close();
      throw error;
    }
    configError = error;
  }

  // The key's deadlines (and the touch prompt's countdown, which is one of them) read main's clock.
  const keyClock: KeyClock = { ...systemClock, now: () => clock().getTime() };
  const sides = new Map<boolean, KeySide>();
  const sideListeners = new Set<(side: KeySide) => void>();
  const ceremonies = new Map<boolean, CeremonyService>();

  function key(drill: boolean): KeySide | null {
    if (!config || (!drill && options.drillOnly)) return null;
    const existing = sides.get(drill);
    if (existing) return existing;
    const rpId = config.config.keys.rp_id;
    const device = drill
      ? // The virtual key waits as long as the host does, so the prompt's countdown holds in drills too.
        createVirtualAuthenticator({
          touchDelayMs: options.drillTouchDelayMs ?? null,
          touchTimeoutMs: options.touchTimeoutMs,
          statePath: path.join(options.dataDir, VIRTUAL_KEY_STATE_FILE),
        })
      : null;
    const side: KeySide = {
      drill,
      device,
      touchWaiting: false,
      pendingPin: null,
      service: createKeyService({
        discover: device ? virtualDiscovery(device) : (options.realDiscovery ?? (() => createNodeHidDiscovery()))(),
        rpId,
        clock: keyClock,
        pollTimers: options.keyPollTimers,
        touchTimeoutMs: options.touchTimeoutMs,
        // Drills practise with whatever the virtual key asks; only real ceremonies enforce the setting.
        requireUserVerification: !drill && config.config.keys.require_user_verification,
        askPin: (request, signal) =>
          new Promise<string | null>((resolve) => {
            side.pendingPin?.(null);
            side.pendingPin = resolve;
            // A cancelled step withdraws its prompt: the screen must not keep asking for a PIN.
            signal?.addEventListener(
              'abort',
              () => {
                if (side.pendingPin !== resolve) return;
                side.pendingPin = null;
                events.emit('key:pin', { drill, type: 'pin-done' });
                resolve(null);
              },
              { once: true },
            );
            events.emit('key:pin', {
              drill,
              type: 'pin-needed',
              operation: request.operation,
              retries: request.retries,
              message: request.message,
            });
          }),
        recordedSignCount: (k) => recordedSignCount(journal.db, k),
        onEvent: (event) => {
          side.touchWaiting = event.type === 'touch-needed';
          events.emit(
            'key:touch',
            event.type === 'touch-needed'
              ? { drill, type: 'touch-needed', operation: event.operation, timeout_ms: event.timeoutMs }
              : { drill, type: 'touch-done', operation: event.operation, ok: event.ok },
          );
        },
      }),
      enrolled: (operatorId) => enrolledFor(drill, operatorId),
    };
    sides.set(drill, side);
    for (const listener of [...sideListeners]) listener(side);
    return side;
  }

  /** The enrolled keys a side may sign with: virtual ones for drills, never for real ceremonies. */
  function enrolledFor(drill: boolean, operatorId: string): EnrolledKey[] {
    const rpId = config?.config.keys.rp_id;
    return listEnrolledKeys(journal.db, operatorId).filter((k) => k.rp_id === rpId && isDrillKey(k) === drill);
  }

  function ceremony(drill: boolean): CeremonyService | null {
    if (!config || (!drill && options.drillOnly)) return null;
    const existing = ceremonies.get(drill);
    if (existing) return existing;
    const service = createCeremonyService({
      journal,
      config: config.config,
      configSource: config.description,
      // The key is opened at the first tap, not when a screen merely lists ceremonies.
      signer: { sign: (request) => key(drill)!.service.tap(request) },
      enrolledKeys: (operatorId) => enrolledFor(drill, operatorId),
      // A drill never touches AWS: its SSO "outage" is simulated and says so.
      ssoProbe: drill ? simulatedSsoOutage(clock) : (options.realSsoProbe ?? createStsSsoProbe({ clock })),
      clock,
      appVersion: options.appVersion ?? APP_VERSION,
    });
    ceremonies.set(drill, service);
    return service;
  }

  const mongo = config?.config.mongodb;
  const password = env[MONGODB_PASSWORD_ENV];
  let progress: SyncStatusView | null = null;
  const sync = createSyncService({
    journal,
    // No URI: the service reports "not configured" and never touches the network.
    target: { uri: mongo?.uri, database: mongo?.database ?? 'breakglass', ...(password ? { password } : {}) },
    clock,
    onProgress: (p) => {
      progress = { ...p, summary: describeProgress(p), level: progressLevel(p) };
      events.emit('sync:progress', progress);
    },
  });
  sync.start();

  return {
    dataDir: options.dataDir,
    drillOnly: options.drillOnly,
    appVersion: options.appVersion ?? APP_VERSION,
    clock,
    journal,
    events,
    config,
    configError,
    key,
    existingKey: (drill) => sides.get(drill) ?? null,
    onKeySide(listener) {
      for (const side of sides.values()) listener(side);
      sideListeners.add(listener);
      return () => void sideListeners.delete(listener);
    },
    ceremony,
    sync,
    syncView: () =>
      progress ?? { ...sync.status(), summary: describeProgress(sync.status()), level: progressLevel(sync.status()) },
    async close() {
      for (const side of sides.values()) side.service.close();
      await sync.stop();
      journal.close();
    },
  };
}
