import type { DependencyContainer } from "tsyringe";
import { z } from "zod";
import type { SequenceEditor } from "./sequence-editor.js";

/** Version of the plugin contract; a plugin states the version it was written against. */
export const POLICY_CONTRACT_VERSION = 1;

/** The manifest every policy carries: what patch it models and which kernel functions it changes. */
export const policyManifestSchema = z
  .object({
    contract: z.literal(POLICY_CONTRACT_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes"),
    title: z.string().min(1),
    summary: z.string().min(1),
    /** The mail or patch the policy models. */
    upstream: z.object({ cite: z.string().min(1), url: z.url() }).strict(),
    /** Kernel functions the policy changes (empty for upstream behaviour). */
    touches: z.array(z.string().min(1)),
    /**
     * Small integers of state the patch adds to the kernel (a generation count, a flag), kept in
     * the world as `ext[0..n-1]`, starting at 0, fingerprinted like every other field.
     */
    stateSlots: z.number().int().min(0).max(8).optional(),
    /** Ids of the policies this one is built on (their changes come first), for show-policy and reports. */
    extends: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type PolicyManifest = z.infer<typeof policyManifestSchema>;

/**
 * A switch policy: a candidate kernel patch. It changes the model the way the patch changes the
 * kernel, by overriding kernel-function services in its DI container (`register`) and by
 * replacing, inserting or removing steps in the named sequences (`patch`). What it achieves is
 * for the explorer to find; a policy declares no verdicts.
 */
export interface SwitchPolicy<W = unknown, E = unknown> extends PolicyManifest {
  register?(container: DependencyContainer): void;
  patch?(editor: SequenceEditor<W, E>): void;
}

/** A policy definition was refused; the message names the field. */
export class PolicyDefinitionError extends Error {}

/** What definePolicy takes: the manifest, the hooks, and optionally the policies it combines. */
export type PolicyDefinition<W, E> = Omit<SwitchPolicy<W, E>, "contract" | "extends"> & {
  contract?: number;
  /**
   * Policies this one is built on: their registrations and patches run first, in order, then
   * this policy's own; `touches` joins theirs. A combined candidate is a few lines:
   * `definePolicy({ id, title, ..., extends: [postExitReload, quiesce] })`. At most one of them
   * may add state slots (they would share ext[]).
   */
  extends?: readonly SwitchPolicy<W, E>[];
};

/** Define a policy: validates the manifest and returns the frozen policy. */
export function definePolicy<W = unknown, E = unknown>(p: PolicyDefinition<W, E>): SwitchPolicy<W, E> {
  const { register: ownRegister, patch: ownPatch, extends: bases = [], ...own } = p;
  const withSlots = [...bases, own].filter((x) => (x.stateSlots ?? 0) > 0);
  if (withSlots.length > 1)
    throw new PolicyDefinitionError(
      `policy ${String(p.id)}: ${withSlots.map((x) => x.id).join(" and ")} both add state slots; combine at most one policy with state slots`,
    );
  const registers = [...bases.map((b) => b.register), ownRegister].filter((f) => f !== undefined);
  const patches = [...bases.map((b) => b.patch), ownPatch].filter((f) => f !== undefined);
  const register = registers.length
    ? (c: DependencyContainer) => {
        for (const f of registers) f(c);
      }
    : undefined;
  const patch = patches.length
    ? (ed: SequenceEditor<W, E>) => {
        for (const f of patches) f(ed);
      }
    : undefined;
  const manifest = {
    ...own,
    touches: [...new Set([...bases.flatMap((b) => b.touches), ...own.touches])],
    ...(withSlots[0]?.stateSlots ? { stateSlots: withSlots[0].stateSlots } : {}),
    ...(bases.length ? { extends: bases.map((b) => b.id) } : {}),
  };
  const r = policyManifestSchema.safeParse({ contract: POLICY_CONTRACT_VERSION, ...manifest });
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join(".") || "(manifest)";
    throw new PolicyDefinitionError(`policy ${String(p.id)}: field "${field}": ${issue?.message ?? "invalid"}`);
  }
  return Object.freeze({ ...r.data, ...(register ? { register } : {}), ...(patch ? { patch } : {}) });
}
