import { hardenExports, nondeterministicCalls } from "../sandbox/harden.js";
import "reflect-metadata";
import { parentPort, workerData } from "node:worker_threads";
import * as conformance from "@switchlab/conformance";
import { errorCells, runFrontierRow, runJob } from "@switchlab/conformance";
import * as explorer from "@switchlab/explorer";
import type { HardwareProfile } from "@switchlab/hardware";
import * as hardware from "@switchlab/hardware";
import * as kvm from "@switchlab/kvm";
import * as model from "@switchlab/model";
import {
  createRootContainer,
  deepFreeze,
  emptyReach,
  installProbe,
  type ModelEnv,
  type Policy,
  policyChanges,
  type Reach,
  type ReachData,
  reachData,
  recordReach,
  unchangedWhere,
  type World,
} from "@switchlab/model";
import * as perf from "@switchlab/perf";
import * as policyApi from "@switchlab/policy-api";
import { discoverPolicies } from "@switchlab/policy-api";
import type { Reply, Task, WorkerSetup } from "./messages.js";

/**
 * A worker of the pool: it explores the rows it is sent, one at a time, importing each policy
 * plugin on its first row, and posts each result back. Whatever a plugin does stays in this
 * thread: a throw becomes the row's `error` (run-cell.ts) and the pool replaces this worker
 * before its next row; a hang is ended by the pool's watchdog (pool.ts), which reads the probe
 * this worker installs to say where it hung. What a cell shares is frozen (model/src/freeze.ts),
 * so a hook's write throws instead of reaching the next row. Before any of that, the sandbox
 * (../sandbox/harden.ts) froze every JavaScript intrinsic and took clocks, randomness and timers
 * away; switchlab's own exports are frozen here, before the first plugin is imported. A row in
 * which a plugin called a clock, randomness or a timer (even one it caught) is `error`, naming
 * the policy and the call.
 */
hardenExports(conformance, explorer, hardware, kvm, model, perf, policyApi);
const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (r: Reply) => port.postMessage(r);

installProbe({
  // Written before every step: a typed array V8 stores into fast after lockdown (explorer/src/typed-arrays.ts).
  words: explorer.unfrozen(new Int32Array(setup.probe)),
  cellBuilt: (sequences) => post({ kind: "steps", sequences }),
});

/** The plugins this worker has imported, by folder (each on its first row; discovery already checked them). */
const loaded = new Map<string, Promise<Policy>>();
function policyOf(folder: string): Promise<Policy> {
  let p = loaded.get(folder);
  if (!p) {
    p = discoverPolicies<World, ModelEnv>(setup.root, { only: folder }).then(({ policies, problems }) => {
      const found = policies[0] as Policy | undefined;
      if (!found) throw new Error(problems[0]?.message ?? `no policy in ${folder}`);
      return found;
    });
    loaded.set(folder, p);
  }
  return p;
}

/**
 * The profile as the row sees it, noting each field read: the model, the policy and the checks
 * read it only through here, so two profiles equal on the fields a row read explore the same
 * (the row cache shares such rows between profiles, cache/rows.ts). The profile is frozen
 * before it is wrapped: freezing reads every field, which would note them all.
 */
function recording(profile: HardwareProfile, reads: Set<string>): HardwareProfile {
  deepFreeze(profile);
  return new Proxy(profile, {
    get(target, key, receiver) {
      if (typeof key === "string") reads.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") reads.add(key);
      return Reflect.has(target, key);
    },
    // No trap for descriptors: Object.isFrozen asks for every one but uses no value, and what
    // copies the values (a spread, JSON.stringify, Object.values) reads them through get.
  });
}

const root = createRootContainer();

/**
 * Whether the policy changes nothing a baseline row reached (model/src/reach.ts): then its row is
 * the baseline's and is not explored. Anything the policy's register or patch throws, or a clock
 * it calls, answers no: the row is explored, and reports it.
 */
function sameAsBaseline(policy: Policy, scenario: Task["scenario"], reach: ReachData): boolean {
  nondeterministicCalls();
  try {
    return unchangedWhere(policyChanges(root, policy, scenario), reach) && nondeterministicCalls().length === 0;
  } catch {
    return false;
  }
}

/**
 * Run a row with the profile that notes the fields read (recording), and, for the baseline's
 * row, noting what the cells it builds reach (model/src/reach.ts): the result, the fields read
 * (id aside, sorted), and the reach when the policy is upstream's.
 */
function exploreRow<T>(
  t: Task,
  policy: Policy,
  run: (profile: HardwareProfile) => T,
): { result: T; reads: string[]; reach?: ReachData } {
  const reads = new Set<string>();
  const reach = t.recordReach ? emptyReach() : undefined;
  recordReach(reach);
  let result: T;
  try {
    result = run(recording(t.profile, reads));
  } finally {
    recordReach(undefined);
  }
  reads.delete("id");
  const reached = reach ? reachOf(policy, t.scenario, reach) : undefined;
  return { result, reads: [...reads].sort(), ...(reached ? { reach: reached } : {}) };
}

/** What a row reached, when its policy is upstream's (changes nothing): else its reach says nothing. */
function reachOf(policy: Policy, scenario: Task["scenario"], reach: Reach): ReachData | undefined {
  let c: ReturnType<typeof policyChanges>;
  try {
    c = policyChanges(root, policy, scenario);
  } catch {
    return undefined;
  }
  if ("incomparable" in c || c.methods.length || c.steps.length) return undefined;
  return reachData(reach);
}

port.on("message", async (t: Task) => {
  let policy: Policy;
  try {
    policy = await policyOf(t.policy);
  } catch (e) {
    post({ kind: "load-failed", ordinal: t.ordinal, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  try {
    if (t.baselineReach && sameAsBaseline(policy, t.scenario, t.baselineReach)) {
      post({ kind: "same", ordinal: t.ordinal });
      return;
    }
    nondeterministicCalls();
    if (t.kind === "matrix") {
      const { result, reads, reach } = exploreRow(t, policy, (profile) =>
        runJob(
          root,
          { ordinal: t.ordinal, policy, profile, scenario: t.scenario },
          t.bounds,
          t.strategy,
          t.costTable,
          t.exact,
        ),
      );
      const calls = nondeterministicCalls();
      post({
        kind: "matrix",
        result: calls.length
          ? {
              ordinal: t.ordinal,
              cells: errorCells(
                t.policy,
                t.profile,
                t.scenario,
                `policy ${t.policy} called ${[...new Set(calls)].join(", ")} while exploring: clocks, randomness and timers are unavailable to policy code, so its results would differ between runs`,
              ),
              guards: [],
              states: 0,
            }
          : result,
        reads,
        ...(reach && !calls.length ? { reach } : {}),
      });
    } else {
      const row = exploreRow(t, policy, (profile) =>
        runFrontierRow(
          root,
          {
            bounds: t.bounds,
            strategy: t.strategy,
            exact: t.exact,
            ceilings: t.ceilings,
            ...(t.dimensions ? { dimensions: t.dimensions } : {}),
            ...(t.properties ? { properties: t.properties } : {}),
          },
          t.ordinal,
          policy,
          profile,
          t.scenario,
        ),
      );
      post({ kind: "frontier", ...row });
    }
  } catch (e) {
    post({ kind: "failed", ordinal: t.ordinal, message: e instanceof Error ? e.message : String(e) });
  }
});
post({ kind: "ready" });
