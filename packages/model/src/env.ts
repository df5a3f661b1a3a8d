import type { HardwareProfile } from "@switchlab/hardware";
import type { KvmEnv } from "@switchlab/kvm";
import type { CompiledSequence } from "@switchlab/policy-api";
import type { Scenario } from "./scenario.js";
import type { World } from "./world.js";

/** Everything a run reads besides the world: the profile, the scenario, the (patched) sequences. */
export interface ModelEnv extends KvmEnv {
  readonly profile: HardwareProfile;
  readonly scenario: Scenario;
  /** State slots the policy adds (ext[0..n-1]). */
  readonly stateSlots?: number;
  /** The run loop, the tick and the scheduling sequence, after the policy's patch. */
  readonly seq: {
    readonly runLoop: CompiledSequence<World, ModelEnv>;
    readonly tick: CompiledSequence<World, ModelEnv>;
    readonly sched: CompiledSequence<World, ModelEnv>;
  };
}
