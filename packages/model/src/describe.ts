import {
  archHex,
  bitsOf,
  dsAddressHex,
  ENTRY_LOAD_GLOBAL_CTRL,
  EXIT_LOAD_GLOBAL_CTRL,
  entryMsr,
  entryValue,
  msrName,
  msrValueHex,
  PMI_SRC_OVERFLOW,
  PMI_SRC_PEBS,
  pebsRecordCount,
} from "@switchlab/hardware";
import { EXIT_NAMES } from "@switchlab/kvm";
import { MAX_INTERRUPTS } from "@switchlab/perf";
import type { ModelEnv } from "./env.js";
import type { World } from "./world.js";

function list(l: readonly number[]): string {
  return `[${l.map((e) => `${msrName(entryMsr(e))}=${msrValueHex(entryMsr(e), entryValue(e))}`).join(", ")}]`;
}

function counters(mask: number): string {
  const b = bitsOf(mask);
  return b.length ? `{${b.join(",")}}` : "{}";
}

/**
 * The world as named, rendered fields, in the kernel's vocabulary (MSR names, cpuc->...,
 * vmx->msr_autoload...). Traces print the fields a step changed.
 */
export function describeWorld(w: World, env: ModelEnv): Map<string, string> {
  const m = new Map<string, string>();
  const ev = (i: number) => env.scenario.events[i]?.name ?? `event${i}`;
  m.set("mode", w.hw.mode ? "non-root" : "root");
  m.set("PEBS_ENABLE", archHex(w.hw.pebsEnable));
  m.set("GLOBAL_CTRL", archHex(w.hw.globalCtrl));
  m.set("GLOBAL_STATUS", archHex(w.hw.globalStatus));
  m.set("DS_AREA", dsAddressHex(w.hw.dsArea));
  m.set("PEBS_DATA_CFG", archHex(w.hw.pebsDataCfg));
  m.set("EVTSEL.EN", counters(w.hw.evtselEn));
  m.set("EVTSEL.INT", counters(w.hw.evtselInt));
  m.set("pebs_index", String(pebsRecordCount(w.hw.pebsRecords)));
  m.set("LVTPC", w.hw.lvtpcMasked ? "masked" : "unmasked");
  m.set(
    "PMIs pending",
    [w.hw.pmiPending & PMI_SRC_OVERFLOW ? "overflow" : "", w.hw.pmiPending & PMI_SRC_PEBS ? "PEBS" : ""]
      .filter(Boolean)
      .join("+") || "none",
  );
  m.set("NMI latched", String(w.hw.nmiLatched));
  m.set("NMIs blocked", String(w.hw.nmiBlocked));
  m.set("VM-entry list", list(w.hw.entryList));
  m.set("VM-exit list", list(w.hw.exitList));
  m.set("GUEST_IA32_PERF_GLOBAL_CTRL", archHex(w.hw.guestGlobalCtrlField));
  m.set("HOST_IA32_PERF_GLOBAL_CTRL", archHex(w.hw.hostGlobalCtrlField));
  m.set(
    "VM_ENTRY/EXIT_LOAD_IA32_PERF_GLOBAL_CTRL",
    `${w.hw.globalCtrlLoadControls & ENTRY_LOAD_GLOBAL_CTRL ? 1 : 0}/${w.hw.globalCtrlLoadControls & EXIT_LOAD_GLOBAL_CTRL ? 1 : 0}`,
  );
  m.set("guest #PF at DS_AREA+0x38", w.hw.guestPf ? `yes (${dsAddressHex(w.hw.guestPfDs)} + 0x38)` : "no");
  m.set("guest PEBS records", String(w.hw.guestPebsRecords));
  m.set("cpuc->enabled", String(w.perf.enabled));
  m.set("cpuc->pebs_enabled", archHex(w.perf.pebsEnabled));
  m.set("cpuc->intel_ctrl_guest_mask", archHex(w.perf.guestMask));
  m.set("cpuc->intel_ctrl_host_mask", archHex(w.perf.hostMask));
  m.set("cpuc->active_mask", counters(w.perf.activeMask));
  w.perf.events.forEach((e, k) => {
    m.set(`cpuc->events[${k}]`, e ? ev(e - 1) : "NULL");
  });
  w.perf.evInterrupts.forEach((n, i) => {
    m.set(`${ev(i)}.hw.interrupts`, n === MAX_INTERRUPTS ? "MAX_INTERRUPTS" : String(n));
  });
  w.perf.evIdx.forEach((n, i) => {
    m.set(`${ev(i)}.hw.idx`, String(n));
  });
  m.set("nmi last_nmi_rip", w.perf.lastNmiRip < 0 ? "none" : `0x${w.perf.lastNmiRip.toString(16)}`);
  m.set("nmi swallow_nmi", String(w.perf.swallowNmi));
  m.set("unknown NMIs", String(w.perf.unknownNmis));
  m.set("kvm exit reason", EXIT_NAMES[w.kvm.exitReason] ?? String(w.kvm.exitReason));
  m.set("kvm round trips", String(w.kvm.roundTrips));
  m.set("kvm MSR left unswitched", w.kvm.unswitched ? "yes" : "no");
  return m;
}

/** Fields that differ between two worlds, as `name: before -> after`. */
export function diffWorlds(a: World, b: World, env: ModelEnv): string[] {
  const da = describeWorld(a, env);
  const db = describeWorld(b, env);
  const out: string[] = [];
  for (const [k, v] of db) {
    const before = da.get(k);
    if (before !== v) out.push(`${k}: ${before ?? "-"} -> ${v}`);
  }
  return out;
}
