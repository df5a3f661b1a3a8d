import { dsAddressHex } from "@switchlab/hardware";
import { unknownNmiMessage } from "@switchlab/perf";
import type { ModelEnv } from "./env.js";
import { hostCountingWrong } from "./host-counting.js";
import { staleBits, type World } from "./world.js";

/** What a kernel developer would see, read off a world. */
export interface Symptom {
  readonly id:
    | "guest-pf-on-host-ds"
    | "unknown-nmi"
    | "stale-pebs-enable"
    | "msr-unswitched"
    | "vm-killed"
    | "stale-perf-msr";
  readonly text: string;
}

/** Every symptom the world shows now, in a fixed order. */
export function symptomsOf(w: World, env: ModelEnv, staleTrips = 0): Symptom[] {
  const out: Symptom[] = [];
  if (w.hw.guestPf) {
    out.push({
      id: "guest-pf-on-host-ds",
      text: `guest page fault at ${dsAddressHex(w.hw.guestPfDs)} + 0x38 (pebs_interrupt_threshold of the host DS_AREA)`,
    });
  }
  if (w.perf.unknownNmis) out.push({ id: "unknown-nmi", text: unknownNmiMessage(env.perf.nmiReason, env.perf.cpu) });
  const stale = staleBits(w);
  if (stale) {
    out.push({
      id: "stale-pebs-enable",
      text: `PEBS_ENABLE 0x${w.hw.pebsEnable.toString(16)} has bit(s) 0x${stale.toString(16)} that cpuc->pebs_enabled 0x${w.perf.pebsEnabled.toString(16)} does not${staleTrips ? ` (for ${staleTrips} round trip(s))` : ""}`,
    });
  }
  const wrong = w.hw.mode === 0 && w.perf.enabled === 1 ? hostCountingWrong(w, env.hw, env.pmu.pebsBaseline) : [];
  if (wrong.length) out.push({ id: "stale-perf-msr", text: `after the VM-exit: ${wrong.join("; ")}` });
  if (w.kvm.vmDead)
    out.push({
      id: "vm-killed",
      text: "WARNING in vmx_add_auto_msr (KVM_BUG_ON: autoload list full): the VM is killed, KVM_RUN returns -EIO",
    });
  else if (w.kvm.unswitched)
    out.push({
      id: "msr-unswitched",
      text: "Not enough msr switch entries: an MSR perf asked for was left unswitched",
    });
  return out;
}
