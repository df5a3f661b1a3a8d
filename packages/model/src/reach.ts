import type { CompiledSequence, Step } from "@switchlab/policy-api";
import type { ModelEnv } from "./env.js";
import type { World } from "./world.js";

/**
 * What a row reached, and what a policy changes: the two halves of answering a policy's row from
 * the baseline's (the CLI's row cache, cli/src/pool/run-rows.ts).
 *
 * A row's result is a function of the code its exploration ran. Upstream's row (the baseline
 * policy, which registers and patches nothing) records the kernel-function services' methods it
 * called and the steps it ran. Another policy differs from upstream only in (a) the services it
 * registers, whose methods it overrides in a subclass of the upstream class, and (b) the steps its
 * patch replaces or inserts; the world layout is the same when it adds no state slots. If none
 * of the methods it overrides was called and none of the steps it changes was run in upstream's
 * exploration of a row, its own exploration of that row runs the same code from the same initial
 * world through the same states: the same result, with its id in place of the baseline's.
 *
 * "Changes a step" is decided from the compiled sequences, not from the editor's record: the
 * policy's run loop, tick and scheduling sequences are compared with upstream's by identity of
 * each step object (baseSequences freezes them, so a patch cannot edit one in place). A step is
 * changed when the policy's sequence holds another object at its position, when another step
 * follows it (what runs when it falls through: a step inserted after it), or when a jump to it
 * lands on another step (one inserted before it). Positions matter beyond the step itself: program counters are part of the
 * state and of what traces print (nmi.c's last_nmi_rip), so a reached step must keep its
 * position too, which the first rule checks. A policy that removes or renames an upstream step
 * is not compared at all (the machine and the guards look steps up by id).
 *
 * "Overrides a method" is decided from the service instances the policy's registrations resolve
 * to: each must be an instance of the upstream class, no Proxy, with no own property upstream's
 * has not; the methods are the names defined on the prototypes between the instance and the
 * upstream class's prototype (the subclass chain the policy wrote). Upstream's prototypes are
 * frozen in a sandboxed worker (cli/src/sandbox), so a policy cannot change upstream's methods.
 *
 * The two explorations then store the same packed states (the world layout is fixed, and every
 * reached step keeps its position), so they are the same search, fingerprints and all.
 *
 * What this rests on: that a policy's register and patch give the same registrations and steps
 * each time they run (the sandbox takes clocks and randomness away, so only a policy that keeps
 * state between calls could break it).
 */
export interface Reach {
  /** Service methods called, as `key.method` (the ops table's key: "intel.perfGuestGetMsrs"). */
  readonly methods: Set<string>;
  /** Steps run (or whose instruction count or label was asked), as `sequence/step`. */
  readonly steps: Set<string>;
}

/** A Reach as data (sorted lists): what crosses to the pool and is kept with a row in the cache. */
export interface ReachData {
  readonly methods: readonly string[];
  readonly steps: readonly string[];
}

export function emptyReach(): Reach {
  return { methods: new Set(), steps: new Set() };
}

/** A Reach as data, each list sorted (the same reach always gives the same data). */
export function reachData(r: Reach): ReachData {
  return { methods: [...r.methods].sort(), steps: [...r.steps].sort() };
}

let recorder: Reach | undefined;

/** Record what the cells built from now on reach into `r` (undefined: stop recording). */
export function recordReach(r: Reach | undefined): void {
  recorder = r;
}

/** The reach being recorded, if any (buildCell wraps the cell's steps and services when there is one). */
export function reachRecorder(): Reach | undefined {
  return recorder;
}

/** Every method name on an object's prototype chain below Object.prototype, constructors aside. */
function methodNames(o: object): string[] {
  const out = new Set<string>();
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const k of Object.getOwnPropertyNames(p))
      if (k !== "constructor" && typeof Object.getOwnPropertyDescriptor(p, k)?.value === "function") out.add(k);
  return [...out];
}

/**
 * Give each service instance of an ops table own methods that note their first call in `reach`,
 * then call the method they shadow. Done before the cell freezes its services.
 */
export function recordingServices(table: object, reach: Reach): void {
  for (const [key, inst] of Object.entries(table) as [string, Record<string, unknown>][]) {
    for (const name of methodNames(inst)) {
      const f = inst[name] as (...a: unknown[]) => unknown;
      const id = `${key}.${name}`;
      let seen = false;
      Object.defineProperty(inst, name, {
        value: function (this: unknown) {
          if (!seen) {
            seen = true;
            reach.methods.add(id);
          }
          // biome-ignore lint/complexity/noArguments: forwards any arity without copying it into an array
          return f.apply(this, arguments as unknown as unknown[]);
        },
        writable: false,
        enumerable: false,
        configurable: false,
      });
    }
  }
}

/** A step whose run, instruction count and label note the step in `reach` the first time. */
function recordingStep(seq: string, s: Step<World, ModelEnv>, reach: Reach): Step<World, ModelEnv> {
  const id = `${seq}/${s.id}`;
  let seen = false;
  const note = () => {
    if (!seen) {
      seen = true;
      reach.steps.add(id);
    }
  };
  const insns = s.insns;
  const label = s.label;
  return {
    ...s,
    run: (w, env) => {
      note();
      return s.run(w, env);
    },
    insns:
      typeof insns === "number"
        ? insns
        : (w, env) => {
            note();
            return insns(w, env);
          },
    ...(label
      ? {
          label: (w: World, env: ModelEnv) => {
            note();
            return label(w, env);
          },
        }
      : {}),
  };
}

/** The compiled sequences with every step recording itself in `reach`. */
export function recordingSequences(
  seqs: ReadonlyMap<string, CompiledSequence<World, ModelEnv>>,
  reach: Reach,
): Map<string, CompiledSequence<World, ModelEnv>> {
  return new Map([...seqs].map(([id, q]) => [id, q.withSteps((s) => recordingStep(id, s, reach))]));
}
