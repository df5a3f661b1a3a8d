import { builtinProfiles } from "@switchlab/hardware";
import { KVM_SERVICES } from "@switchlab/kvm";
import { buildCell, createRootContainer, type Policy, type Scenario } from "@switchlab/model";
import { KERNEL_VERSIONS, type KernelService, PERF_SERVICES, serviceName } from "@switchlab/perf";
import type { DependencyContainer } from "tsyringe";
import { findPolicy, loadCatalog } from "../catalog.js";
import { type Io, UsageError } from "../io.js";
import type { Values } from "../options.js";
import { diffIds } from "../seq-diff.js";

/** Every kernel-function service a policy may override: perf's table, then KVM's. */
export const KERNEL_SERVICES: readonly KernelService[] = [...PERF_SERVICES, ...KVM_SERVICES];

/** Methods a subclass defines itself, i.e. the kernel functions it replaces. */
function ownMethods(obj: object): string[] {
  const proto = Object.getPrototypeOf(obj) as object;
  return Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor");
}

/**
 * The services a policy overrides, one line each: the service, the policy's class, and the
 * methods that class defines itself (the kernel functions it replaces).
 */
export function overriddenServices(root: DependencyContainer, policy: Pick<Policy, "register">): string[] {
  const child = root.createChildContainer();
  policy.register?.(child);
  const out: string[] = [];
  for (const s of KERNEL_SERVICES) {
    const theirs = child.resolve(s.token);
    if (theirs.constructor !== root.resolve(s.token).constructor)
      out.push(`${serviceName(s)} -> ${theirs.constructor.name}: ${ownMethods(theirs).join(", ")}`);
  }
  return out;
}

/**
 * `switchlab show-policy <id>`: what a policy changes, against original: the kernel-function
 * services it overrides (and which functions), its sequence edits, and each changed sequence as
 * a diff of step ids, for a v5.11 and a v6.16 scenario.
 */
export async function showPolicyCommand(_v: Values, args: string[], io: Io): Promise<number> {
  const id = args[0] as string;
  const catalog = await loadCatalog();
  const policy = findPolicy(catalog, id);
  const original = catalog.policies.find((p) => p.id === "original") as Policy | undefined;
  if (!original) throw new UsageError("show-policy compares with 'original', which is not loaded");
  const profile = builtinProfiles()[0]!;
  io.out(
    `policy ${policy.id}: ${policy.title}\n  ${policy.summary}\n  upstream: ${policy.upstream.cite}\n            ${policy.upstream.url}\n`,
  );
  io.out(
    `  touches: ${policy.touches.join(", ") || "(nothing)"}${policy.stateSlots ? `; adds ${policy.stateSlots} state slot(s) (ext[])` : ""}\n`,
  );
  for (const kernel of KERNEL_VERSIONS) {
    // A plain (non-mediated) scenario of that version: the MSR-list run loop.
    const sc = catalog.scenarios.find((s) => s.kernel === kernel && !s.kvm?.enableMediatedPmu) as Scenario | undefined;
    if (!sc) continue;
    const root = createRootContainer();
    const base = buildCell(root, original, profile, sc);
    const mine = buildCell(root, policy, profile, sc);
    if (kernel === "v5.11") {
      io.out("\nservices overridden:\n");
      const overridden = overriddenServices(root, policy);
      for (const line of overridden) io.out(`  ${line}\n`);
      if (!overridden.length) io.out("  (none)\n");
      io.out("\nsequence edits:\n");
      for (const e of mine.edits) io.out(`  ${e.op} ${e.sequence} ${e.step}${e.newStep ? ` -> ${e.newStep}` : ""}\n`);
      if (!mine.edits.length) io.out("  (none)\n");
    }
    for (const [key, seqA] of Object.entries(base.env.seq)) {
      const seqB = mine.env.seq[key as keyof typeof mine.env.seq];
      const a = seqA.steps.map((s) => s.id);
      const b = seqB.steps.map((s) => s.id);
      // Steps whose body the policy replaced keep their id: the editor's record names them.
      const rewritten = new Set(
        mine.edits
          .filter((x) => x.sequence === seqA.id && (x.op === "replace-run" || x.op === "replace"))
          .map((x) => x.newStep ?? x.step),
      );
      if (a.join() === b.join() && rewritten.size === 0) continue;
      io.out(`\n--- original ${seqA.id} (${kernel})\n+++ ${policy.id} ${seqB.id} (${kernel})\n`);
      for (const d of diffIds(a, b)) {
        const step = (d.op === "-" ? seqA : seqB).steps.find((s) => s.id === d.id);
        const op = d.op === " " && rewritten.has(d.id) ? "~" : d.op;
        io.out(`${op} ${d.id}${op !== " " ? `    [${step?.fn}, ${step?.file}, ${step?.version}]` : ""}\n`);
      }
    }
  }
  return 0;
}
