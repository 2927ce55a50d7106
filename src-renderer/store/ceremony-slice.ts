import type { StateCreator } from 'zustand';
import type { CommandArgs } from '../../src-shared/ceremony/commands';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import type { CeremonyType, StepId } from '../../src-shared/ceremony/steps';
import type {
  CeremonyCatalogView,
  CeremonyCommandChannel,
  CeremonySummaryItem,
  ExportView,
  IpcResult,
} from '../../src-shared/ipc/contract';
import type { Refusal } from '../../src-shared/result';
import type { AppState } from './index';

/** The command a channel carries, for typing the arguments the screens pass. */
type CommandOf = {
  'ceremony:selectScenario': 'select_scenario';
  'ceremony:probeSso': 'probe_sso';
  'ceremony:notifyFounder': 'notify_founder';
  'ceremony:selectAccount': 'select_account';
  'ceremony:recordSignIn': 'record_sign_in';
  'ceremony:writeAuditRow': 'write_audit_row';
  'ceremony:recordRoleSession': 'record_role_session';
  'ceremony:logAction': 'log_action';
  'ceremony:finishMinimalAction': 'finish_minimal_action';
  'ceremony:recordSignOut': 'record_sign_out';
  'ceremony:lockStep': 'lock_step';
  'ceremony:addNote': 'add_note';
  'ceremony:abort': 'abort';
  'ceremony:recordAftercareEvidence': 'record_aftercare_evidence';
  'ceremony:signOffAftercare': 'sign_off_aftercare';
};
export type ArgsOf<C extends CeremonyCommandChannel> = CommandArgs<CommandOf[C]>;

/** Main's refusal as it came (code, sentence, the fields it names), and where it belongs on screen. */
export interface Refused extends Refusal {
  /** The channel that was refused, so the screen can show the reason next to its own control. */
  channel: string;
  /** The checklist item the call was about, when several forms share a channel. */
  subject?: string;
}

export interface CeremonySlice {
  ceremony: {
    catalog: CeremonyCatalogView | null;
    list: CeremonySummaryItem[];
    activeId: string | null;
    state: CeremonyState | null;
    /** When `state` arrived (Date.now()), so the timer can tick between reads. */
    fetchedAt: number;
    /** The channel of the call in flight (one decision at a time). */
    busy: string | null;
    refused: Refused | null;
    /** A locked step the person chose on the rail to look at (read-only); null: the current step. */
    viewing: StepId | null;
    exported: ExportView | null;
    /** The choice on the start screen. */
    startDrill: boolean;
    /** Who is breaking glass, chosen on the start screen when the configuration has several principals. */
    startOperator: string | null;
    error: string | null;
    /** Counts successful records: the window then moves the focus to the next action. */
    recorded: number;
    /** What the key tap in flight signs, in words, for the touch prompt. */
    signing: string | null;
    /** Drill: the console "opened" on screen (a drill never opens the real AWS sign-in page). */
    consoleOpened: boolean;
    /** A renewal starts from the first ceremony's scenario: its evidence and reason, prefilled. */
    prefill: { for_linked: string; scenario_id: string; evidence: Record<string, string>; reason: string } | null;
  };
  loadCatalog: () => Promise<void>;
  refreshList: () => Promise<void>;
  setStartDrill: (drill: boolean) => void;
  setStartOperator: (operatorId: string) => void;
  startCeremony: (type: CeremonyType, drill: boolean) => Promise<boolean>;
  /** A renewal of the active role ceremony: a new ceremony linked to it, same operator and mode. */
  startRenewal: () => Promise<boolean>;
  resume: (ceremonyId: string) => Promise<boolean>;
  leaveCeremony: () => void;
  refreshActive: () => Promise<void>;
  command: <C extends CeremonyCommandChannel>(channel: C, args: ArgsOf<C>) => Promise<boolean>;
  lockStep: (step: StepId) => Promise<boolean>;
  /** Records, then (if that left the step ready) locks it with the tap: one action, not two. */
  recordAndLock: <C extends CeremonyCommandChannel>(channel: C, args: ArgsOf<C>, step: StepId) => Promise<boolean>;
  setConsoleOpened: (opened: boolean) => void;
  cancelTap: () => Promise<void>;
  exportCeremony: () => Promise<boolean>;
  view: (step: StepId | null) => void;
  clearRefusal: () => void;
}

const verbOf = (channel: string) => channel.slice('ceremony:'.length);

/** Commands where the same text twice is two real events (the same command run twice, two notes). */
const REPEATABLE = new Set<string>(['ceremony:logAction', 'ceremony:addNote']);

/** The last successful call: the same call again, with nothing recorded since, records nothing. */
let lastDone: { channel: string; args: string; head: number; id: string } | null = null;

export const createCeremonySlice: StateCreator<AppState, [], [], CeremonySlice> = (set, get) => {
  const patch = (p: Partial<CeremonySlice['ceremony']>) => set({ ceremony: { ...get().ceremony, ...p } });

  /** Applies a call's result: the new state, or the refusal shown next to the control. */
  function settle(channel: string, result: IpcResult<CeremonyState>, subject?: string): boolean {
    if (result.ok) {
      patch({
        state: result.value,
        activeId: result.value.ceremony_id,
        fetchedAt: Date.now(),
        busy: null,
        refused: null,
        signing: null,
        recorded: get().ceremony.recorded + 1,
      });
      return true;
    }
    patch({ busy: null, signing: null, refused: { ...result.error, channel, ...(subject ? { subject } : {}) } });
    // A refused or failed call may still have journalled something (a failed tap): re-read.
    void get().refreshActive();
    return false;
  }

  /** Starts a ceremony (a first one or a renewal) and shows it, with its mode's key. */
  async function begin(args: CommandArgs<'start'>): Promise<boolean> {
    patch({ busy: 'ceremony:start', refused: null, exported: null, viewing: null });
    const ok = settle('ceremony:start', await window.api.ceremony.start(args));
    if (ok) void get().refreshKey(args.drill);
    return ok;
  }

  return {
    ceremony: {
      catalog: null,
      list: [],
      activeId: null,
      state: null,
      fetchedAt: 0,
      busy: null,
      refused: null,
      viewing: null,
      exported: null,
      startDrill: false,
      startOperator: null,
      error: null,
      recorded: 0,
      signing: null,
      consoleOpened: false,
      prefill: null,
    },
    loadCatalog: async () => {
      const result = await window.api.ceremony.describe();
      patch(result.ok ? { catalog: result.value, error: null } : { error: result.error.message });
    },
    refreshList: async () => {
      const result = await window.api.ceremony.list();
      if (result.ok) patch({ list: result.value });
    },
    setStartDrill: (drill) => {
      patch({ startDrill: drill });
      void get().refreshKey(drill);
    },
    setStartOperator: (operatorId) => {
      patch({ startOperator: operatorId });
      void get().refreshKey(get().ceremony.startDrill);
    },
    startCeremony: (type, drill) => {
      const operator = get().ceremony.startOperator;
      return begin({ type, drill, ...(operator ? { operator_id: operator } : {}) });
    },
    startRenewal: () => {
      const current = get().ceremony.state;
      if (!current) return Promise.resolve(false);
      const sc = current.scenario;
      patch({
        prefill: sc
          ? {
              for_linked: current.ceremony_id,
              scenario_id: sc.scenario_id,
              evidence: { ...sc.evidence },
              reason: sc.reason,
            }
          : null,
      });
      return begin({
        type: 'breakglass-role',
        drill: current.drill,
        operator_id: current.operator.id,
        linked_ceremony_id: current.ceremony_id,
      });
    },
    resume: async (ceremonyId) => {
      patch({ busy: 'ceremony:get', refused: null, exported: null, viewing: null });
      const result = await window.api.ceremony.get(ceremonyId);
      const ok = settle('ceremony:get', result);
      if (result.ok) void get().refreshKey(result.value.drill);
      return ok;
    },
    leaveCeremony: () => {
      patch({ activeId: null, state: null, refused: null, viewing: null, exported: null, consoleOpened: false });
      void get().refreshList();
      void get().refreshKey(get().ceremony.startDrill);
    },
    refreshActive: async () => {
      const id = get().ceremony.activeId;
      if (!id) return;
      const result = await window.api.ceremony.get(id);
      // Only if the person is still on that ceremony.
      if (result.ok && get().ceremony.activeId === id) patch({ state: result.value, fetchedAt: Date.now() });
    },
    command: async (channel, args) => {
      const id = get().ceremony.activeId;
      // One decision at a time: a second Enter while the first call is in flight records nothing.
      if (!id || get().ceremony.busy !== null) return false;
      const argsText = JSON.stringify(args);
      const head = get().ceremony.state?.head.seq ?? -1;
      // The same call again with nothing recorded since (a double submit): already done.
      if (
        !REPEATABLE.has(channel) &&
        lastDone &&
        lastDone.id === id &&
        lastDone.channel === channel &&
        lastDone.args === argsText &&
        lastDone.head === head
      )
        return true;
      patch({ busy: channel, refused: null });
      const call = (
        window.api.ceremony as unknown as Record<string, (id: string, a: unknown) => Promise<IpcResult<CeremonyState>>>
      )[verbOf(channel)]!;
      // Which of several same-channel forms was used: a checklist item, or a founder.
      const { item_id, contact_id } = args as { item_id?: unknown; contact_id?: unknown };
      const subject = typeof item_id === 'string' ? item_id : typeof contact_id === 'string' ? contact_id : undefined;
      const ok = settle(channel, await call(id, args), subject);
      const after = get().ceremony.state;
      lastDone = ok && after ? { channel, args: argsText, head: after.head.seq, id } : lastDone;
      return ok;
    },
    lockStep: (step) => {
      const title = get().ceremony.state?.steps.find((s) => s.id === step)?.title ?? step;
      patch({ signing: `locking “${title}” (a signature over the journal so far)` });
      return get().command('ceremony:lockStep', { step });
    },
    recordAndLock: async (channel, args, step) => {
      if (!(await get().command(channel, args))) return false;
      const status = get().ceremony.state?.steps.find((s) => s.id === step)?.status;
      return status === 'done' ? get().lockStep(step) : true;
    },
    setConsoleOpened: (opened) => patch({ consoleOpened: opened }),
    cancelTap: async () => {
      await window.api.ceremony.cancelTap();
    },
    exportCeremony: async () => {
      const id = get().ceremony.activeId;
      if (!id) return false;
      patch({ busy: 'ceremony:export', refused: null });
      const result = await window.api.ceremony.export(id);
      if (result.ok) patch({ busy: null, exported: result.value });
      else patch({ busy: null, refused: { ...result.error, channel: 'ceremony:export' } });
      return result.ok;
    },
    view: (step) => patch({ viewing: step }),
    clearRefusal: () => patch({ refused: null }),
  };
};
