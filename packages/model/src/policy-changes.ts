import { types } from "node:util";
import { KVM_SERVICES, resolveKvmKernel } from "@switchlab/kvm";
import { type KernelService, PERF_SERVICES, resolvePerfKernel } from "@switchlab/perf";
import { type CompiledSequence, SequenceEditor } from "@switchlab/policy-api";
import type { DependencyContainer } from "tsyringe";
import { baseSequences, type Policy } from "./cell.js";
import type { ModelEnv } from "./env.js";
import type { ReachData } from "./reach.js";
import type { Scenario } from "./scenario.js";
import type { World } from "./world.js";

/**
 * What a policy changes against upstream (reach.ts says how a row's reach and these answer a
 * policy's row from the baseline's): the service methods it overrides and the steps it changes.
 */
export type PolicyChanges =
  | { readonly methods: readonly string[]; readonly steps: readonly string[] }
  | { readonly incomparable: string };

/** The steps of `p` that a run may reach differently from `b` (reach.ts), or a reason they cannot be compared. */
function changedSteps(
  b: CompiledSequence<World, ModelEnv>,
  p: CompiledSequence<World, ModelEnv>,
  out: string[],
): string | undefined {
  for (const s of b.steps) if (!p.index.has(s.id)) return `it removes or renames step ${s.id} of ${b.id}`;
  const landing = (q: CompiledSequence<World, ModelEnv>, id: string) => q.steps[q.entry.get(id) as number]?.id;
  b.steps.forEach((s, i) => {
    // Its own code and position; what it falls through to; where a jump to it lands (a step
    // another rule covers is compared by id here: its own change is its own entry).
    if (p.steps[i] !== s || p.steps[i + 1]?.id !== b.steps[i + 1]?.id || landing(p, s.id) !== landing(b, s.id))
      out.push(`${b.id}/${s.id}`);
  });
  return undefined;
}

/** A member of an upstream class's prototype chain, by name. */
function upstreamMember(cls: new () => object, k: string): PropertyDescriptor | undefined {
  for (let q = cls.prototype as object | null; q && q !== Object.prototype; q = Object.getPrototypeOf(q)) {
    const d = Object.getOwnPropertyDescriptor(q, k);
    if (d) return d;
  }
  return undefined;
}

/** The methods a service instance overrides against its upstream class, or a reason it cannot be compared. */
function changedMethods(s: KernelService, inst: object, out: string[]): string | undefined {
  const cls = s.cls as unknown as new () => object;
  if (types.isProxy(inst) || !(inst instanceof cls)) return `its ${s.key} is not an instance of ${cls.name}`;
  const base = new cls();
  const own = Reflect.ownKeys(inst);
  const baseOwn = new Set(Reflect.ownKeys(base));
  if (own.length !== baseOwn.size || own.some((k) => !baseOwn.has(k)))
    return `its ${s.key} has fields of its own (${own.map(String).join(", ")})`;
  for (const k of own)
    if (!Object.is((inst as Record<PropertyKey, unknown>)[k], (base as Record<PropertyKey, unknown>)[k]))
      return `its ${s.key} sets ${String(k)}`;
  for (let p = Object.getPrototypeOf(inst); p !== cls.prototype; p = Object.getPrototypeOf(p)) {
    if (!p || types.isProxy(p)) return `its ${s.key}'s prototype chain cannot be read`;
    for (const k of Reflect.ownKeys(p)) {
      if (typeof k !== "string") return `its ${s.key} defines a symbol-keyed member`;
      if (k === "constructor") continue;
      // A row's reach names the methods it called (reach.ts), not the values it read: a member
      // upstream has as a value or an accessor cannot be compared (upstream's classes have none).
      const d = upstreamMember(cls, k);
      if (d && typeof d.value !== "function") return `its ${s.key} redefines ${k}, which upstream has as a value`;
      out.push(`${s.key}.${k}`);
    }
  }
  return undefined;
}

/**
 * What a policy changes against upstream in the cells of a scenario (reach.ts): the
 * service methods it overrides and the steps it changes, each sorted, or why it cannot be compared.
 * Runs the policy's register and patch, as buildCell does (what they throw, throws).
 */
export function policyChanges(root: DependencyContainer, policy: Policy, scenario: Scenario): PolicyChanges {
  if ((policy.stateSlots ?? 0) > 0) return { incomparable: "it adds state slots" };
  const child = root.createChildContainer();
  policy.register?.(child);
  const methods: string[] = [];
  const k = resolvePerfKernel(child) as unknown as Record<string, object>;
  const kk = resolveKvmKernel(child) as unknown as Record<string, object>;
  for (const [table, ops] of [
    [PERF_SERVICES, k],
    [KVM_SERVICES, kk],
  ] as const)
    for (const s of table) {
      const why = changedMethods(s, ops[s.key] as object, methods);
      if (why) return { incomparable: why };
    }
  const base = baseSequences(scenario);
  const upstream = new SequenceEditor<World, ModelEnv>(base).compile();
  const editor = new SequenceEditor<World, ModelEnv>(base);
  policy.patch?.(editor);
  const patched = editor.compile();
  const steps: string[] = [];
  for (const [id, b] of upstream) {
    const p = patched.get(id);
    if (!p) return { incomparable: `it has no sequence ${id}` };
    const why = changedSteps(b, p, steps);
    if (why) return { incomparable: why };
  }
  return { methods: [...new Set(methods)].sort(), steps: steps.sort() };
}

/** Whether a policy's exploration of a row is upstream's: nothing it changes was reached there. */
export function unchangedWhere(changes: PolicyChanges, reach: ReachData): boolean {
  if ("incomparable" in changes) return false;
  const m = new Set(reach.methods);
  const s = new Set(reach.steps);
  return !changes.methods.some((x) => m.has(x)) && !changes.steps.some((x) => s.has(x));
}
