import { Worker } from "node:worker_threads";
import {
  PROBE_PC,
  PROBE_SEQUENCES,
  PROBE_STATES,
  PROBE_WHERE,
  PROBE_WORDS,
  type ProbeSequence,
} from "@switchlab/model";
import { builtFile, WORKER_EXEC_ARGV } from "../sandbox/worker-file.js";
import type { Reply, Task } from "./messages.js";

/**
 * The pool that runs exploration rows in worker threads (node:worker_threads), up to `jobs` at
 * once. Workers live for the whole run (a fresh isolate pays about half a second of JIT warm-up,
 * more than most rows take) and import each plugin on its first row. A row that does not finish
 * within the row timeout (a hook that loops in JavaScript, which no bound inside the exploration
 * can stop) has its worker ended: the row fails with the policy's path and where the probe says
 * it was, and that policy's rows not yet started fail without running. A worker whose row
 * reported an error (a hook threw, or wrote to something frozen) is replaced before its next
 * row, so nothing a broken plugin did half-way reaches another row. Results are handed back as
 * they finish; callers put them in matrix order, so output does not depend on `jobs`.
 */
export interface PoolOptions {
  /** The root whose policies/ folder holds the plugins. */
  readonly root: string;
  /** Workers at most (at least 1). */
  readonly jobs: number;
  /** A row's time limit in milliseconds, from the moment its worker is asked (0: none). */
  readonly rowTimeoutMs: number;
  /** Each policy's plugin folder, for messages. */
  readonly paths: ReadonlyMap<string, string>;
  /** Where a plugin's own console output goes (never stdout, which carries the results). */
  readonly log?: (text: string) => void;
  /**
   * For `pnpm bench` only (SWITCHLAB_POOL_STATS): a clock, and where to report, at the end, how
   * long each worker was busy and the run's wall time. Results never depend on it.
   */
  readonly clock?: () => number;
  readonly onWorkers?: (busyMs: readonly number[], wallMs: number) => void;
}

export type Outcome = { readonly ok: true; readonly reply: Reply } | { readonly ok: false; readonly message: string };

/** A worker's young generation (3 semi-spaces of 64 MiB, as scripts/switchlab.mjs gives the CLI). */
const YOUNG_GENERATION_MB = 192;

interface Slot {
  worker?: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  sequences?: Readonly<Record<ProbeSequence, readonly string[]>>;
  readonly probe: Int32Array;
  readonly shared: SharedArrayBuffer;
  /** Replace the worker before its next row. */
  spoiled: boolean;
  /** With opts.clock: when its row started, and how long it has been busy in all. */
  since: number;
  busy: number;
}

/**
 * Run every task; `done` receives each task with its outcome, in the order they finish, and may
 * return more tasks to run (they go first: the row cache releases rows that waited for this one).
 */
export function runPool(
  tasks: readonly Task[],
  opts: PoolOptions,
  done: (t: Task, o: Outcome) => readonly Task[] | undefined,
): Promise<void> {
  const file = builtFile(import.meta.url, "./worker.js");
  const pending = [...tasks];
  const hung = new Map<string, string>();
  let left = tasks.length;
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.jobs) }, () => {
    const shared = new SharedArrayBuffer(PROBE_WORDS * 4);
    return { ready: false, probe: new Int32Array(shared), shared, spoiled: false, since: 0, busy: 0 };
  });
  const clock = opts.clock;
  const t0 = clock?.() ?? 0;
  const report = () => {
    if (clock && tasks.length > 0)
      opts.onWorkers?.(
        slots.map((s) => s.busy),
        clock() - t0,
      );
  };
  const pathOf = (policy: string) => opts.paths.get(policy) ?? policy;

  return new Promise<void>((resolve) => {
    const complete = (t: Task, o: Outcome): void => {
      const more = done(t, o);
      if (more?.length) {
        pending.unshift(...more);
        left += more.length;
      }
    };
    const finish = (slot: Slot, o: Outcome): void => {
      const t = slot.task;
      if (!t) return;
      if (slot.timer) clearTimeout(slot.timer);
      if (clock) slot.busy += clock() - slot.since;
      slot.task = undefined;
      slot.timer = undefined;
      left--;
      // The next row first, then this one's result: what the caller does with it (the cache
      // compresses and writes it) must not keep the worker waiting.
      if (left > 0) schedule();
      complete(t, o);
      schedule();
      if (left === 0) end();
    };
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      for (const s of slots) void s.worker?.terminate();
      report();
      resolve();
    };
    const retire = (slot: Slot): void => {
      const w = slot.worker;
      slot.worker = undefined;
      slot.ready = false;
      slot.sequences = undefined;
      slot.spoiled = false;
      w?.removeAllListeners();
      w?.on("error", () => {});
      void w?.terminate();
    };
    /** Where the probe says the worker is, as words. */
    const whereNow = (slot: Slot): string => {
      const seq = PROBE_SEQUENCES[slot.probe[PROBE_WHERE] ?? 0] ?? "idle";
      const pc = slot.probe[PROBE_PC] ?? 0;
      const n = slot.probe[PROBE_STATES] ?? 0;
      const states = n === 0 ? "fewer than 1,024 states" : `${n.toLocaleString("en-US")} states`;
      if (seq === "idle") return `before its first step, after ${states}`;
      if (seq === "nmi") return `in perf's NMI handler, after ${states}`;
      const step = slot.sequences?.[seq]?.[pc] ?? `step ${pc}`;
      return `at ${step} of ${seq}, after ${states}`;
    };
    const spawn = (slot: Slot): void => {
      slot.probe.fill(0);
      const w = new Worker(file, {
        workerData: { root: opts.root, probe: slot.shared },
        // The built packages, whatever conditions this process was started with (the tests run
        // the CLI from its sources with the @switchlab/source condition); otherwise the worker
        // inherits this process's options, as Node does by default. The young generation the
        // wrapper asks for (a V8 flag, which a worker cannot be given) is a resource limit.
        ...(WORKER_EXEC_ARGV ? { execArgv: WORKER_EXEC_ARGV } : {}),
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        stdout: true,
        stderr: true,
      });
      slot.worker = w;
      slot.ready = false;
      // A plugin's console output is the plugin's: it goes to the log (stderr), never into results.
      const log = (d: Buffer | string) => opts.log?.(String(d));
      w.stdout.on("data", log);
      w.stderr.on("data", log);
      w.on("message", (r: Reply) => {
        switch (r.kind) {
          case "ready":
            slot.ready = true;
            if (slot.task) w.postMessage(slot.task);
            return;
          case "steps":
            slot.sequences = r.sequences;
            return;
          case "load-failed": {
            const policy = slot.task?.policy ?? "?";
            retire(slot);
            finish(slot, { ok: false, message: `policy ${policy} (${pathOf(policy)}) did not load: ${r.message}` });
            return;
          }
          case "failed":
            retire(slot);
            finish(slot, { ok: false, message: r.message });
            return;
          default: {
            const errors = r.kind === "matrix" ? r.result.cells.some((c) => c.verdict === "error") : false;
            if (errors) slot.spoiled = true;
            finish(slot, { ok: true, reply: r });
          }
        }
      });
      const died = (why: string) => {
        const policy = slot.task?.policy;
        retire(slot);
        if (policy)
          finish(slot, { ok: false, message: `the worker exploring policy ${policy} (${pathOf(policy)}) ${why}` });
      };
      w.on("error", (e) => died(`died: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`));
      w.on("exit", (code) => {
        if (slot.worker === w) died(`exited with code ${code}`);
      });
    };
    const start = (slot: Slot, t: Task): void => {
      if (slot.worker && slot.spoiled) retire(slot);
      slot.task = t;
      if (clock) slot.since = clock();
      if (!slot.worker) spawn(slot);
      else if (slot.ready) {
        slot.probe.fill(0);
        slot.worker.postMessage(t);
      }
      if (opts.rowTimeoutMs > 0)
        slot.timer = setTimeout(() => {
          const where = whereNow(slot);
          const row = `${t.profile.id}/${t.scenario.id}`;
          retire(slot);
          hung.set(t.policy, row);
          finish(slot, {
            ok: false,
            message: `policy ${t.policy} (${pathOf(t.policy)}) did not finish ${row} within ${opts.rowTimeoutMs / 1000} s (--row-timeout); it was ${where}, and its worker was ended`,
          });
        }, opts.rowTimeoutMs);
    };
    function schedule(): void {
      // A policy that hung: its rows not yet started fail at once, without running. (Scanned only
      // once one has hung: the scan is linear in the rows pending, and schedule runs twice a row.)
      while (hung.size > 0) {
        const i = pending.findIndex((t) => hung.has(t.policy));
        if (i < 0) break;
        const [t] = pending.splice(i, 1);
        left--;
        complete(t!, {
          ok: false,
          message: `not run: policy ${t!.policy} (${pathOf(t!.policy)}) hung on ${hung.get(t!.policy)} (--row-timeout) earlier`,
        });
      }
      for (;;) {
        const t = pending[0];
        if (!t) return;
        const slot = slots.find((s) => !s.task);
        if (!slot) return;
        pending.shift();
        start(slot, t);
      }
    }
    schedule();
    if (left === 0) end();
  });
}
