/**
 * Where the model is, for a watchdog in another thread. The CLI's worker pool installs a probe
 * over shared memory in each worker; the machine writes into it which sequence and step is
 * running before it runs one, and the explorer how many states it has stored. When a policy's
 * hook never returns, the pool reads the probe to say where the row hung. Without a probe
 * (tests, the library used alone) nothing is written.
 */
export interface Probe {
  /** [PROBE_WHERE] what runs, [PROBE_PC] its step, [PROBE_STATES] states stored so far. */
  readonly words: Int32Array;
  /** Called when a cell's machine is made, with the step ids of each sequence it runs. */
  cellBuilt?(sequences: Readonly<Record<ProbeSequence, readonly string[]>>): void;
}

export const PROBE_WHERE = 0;
export const PROBE_PC = 1;
export const PROBE_STATES = 2;
export const PROBE_WORDS = 3;

/** What the machine is running (the value of words[PROBE_WHERE]). */
export const PROBE_SEQUENCES = ["idle", "vcpu_run", "perf_tick", "perf_sched", "nmi"] as const;
export type ProbeSequence = Exclude<(typeof PROBE_SEQUENCES)[number], "idle">;

let installed: Probe | undefined;

/** Install (or remove) this thread's probe. */
export function installProbe(p: Probe | undefined): void {
  installed = p;
}

/** This thread's probe, if one is installed. */
export function currentProbe(): Probe | undefined {
  return installed;
}
