import type { FieldInfo } from "@switchlab/explorer";
import {
  archHex,
  bitsOf,
  dsAddressHex,
  ENTRY_LOAD_GLOBAL_CTRL,
  EXIT_LOAD_GLOBAL_CTRL,
  EXIT_SAVE_GLOBAL_CTRL,
  entryMsr,
  entryValue,
  type FieldMeta,
  msrName,
  msrValueHex,
  PMI_SRC_OVERFLOW,
  PMI_SRC_PEBS,
  pebsRecordCount,
} from "@switchlab/hardware";
import { EXIT_NAMES } from "@switchlab/kvm";
import { MAX_INTERRUPTS } from "@switchlab/perf";
import type { ModelEnv } from "./env.js";
import { WORLD_LAYOUT, type World, worldWords } from "./world.js";

function counters(mask: number): string {
  const b = bitsOf(mask);
  return b.length ? `{${b.join(",")}}` : "{}";
}

/** A value as a field's format prints it. `w` gives formats that read another field (the #PF's DS). */
function render(format: FieldMeta["format"], v: number, w: World, env: ModelEnv): string {
  switch (format) {
    case "mode":
      return v ? "non-root" : "root";
    case "mask":
      return archHex(v);
    case "counters":
      return counters(v);
    case "ds":
      return dsAddressHex(v);
    case "int":
      return String(v);
    case "yes-no":
      return v ? "yes" : "no";
    case "lvtpc":
      return v ? "masked" : "unmasked";
    case "lvtpc-mode":
      return v ? "vector 0xf5" : "NMI";
    case "owners":
      return [v & 1 ? "guest" : "", v & 2 ? "host" : ""].filter(Boolean).join("+") || "none";
    case "pmi-sources":
      return (
        [v & PMI_SRC_OVERFLOW ? "overflow" : "", v & PMI_SRC_PEBS ? "PEBS" : ""].filter(Boolean).join("+") || "none"
      );
    case "pebs-records":
      return String(pebsRecordCount(v));
    case "load-controls":
      return `${v & ENTRY_LOAD_GLOBAL_CTRL ? 1 : 0}/${v & EXIT_LOAD_GLOBAL_CTRL ? 1 : 0}${v & EXIT_SAVE_GLOBAL_CTRL ? " (save at exit)" : ""}`;
    case "guest-pf":
      return v ? `yes (${dsAddressHex(w.hw.guestPfDs)} + 0x38)` : "no";
    case "event-slot":
      return v ? (env.scenario.events[v - 1]?.name ?? `event${v - 1}`) : "NULL";
    case "interrupts":
      return v === MAX_INTERRUPTS ? "MAX_INTERRUPTS" : String(v);
    case "rip":
      return v < 0 ? "none" : `0x${v.toString(16)}`;
    case "exit-reason":
      return EXIT_NAMES[v] ?? String(v);
    case "msr-list":
      return "";
  }
}

function listText(words: Int32Array, f: FieldInfo): string {
  const n = f.length(words);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = f.read(words, i);
    out.push(`${msrName(entryMsr(e))}=${msrValueHex(entryMsr(e), entryValue(e))}`);
  }
  return `[${out.join(", ")}]`;
}

/** The declared fields traces print, in declaration order, with their metadata. */
const SHOWN = WORLD_LAYOUT.fields.filter((f) => !(f.meta as FieldMeta | undefined)?.hidden);

/**
 * The world as named, rendered fields, in the kernel's vocabulary (MSR names, cpuc->...,
 * vmx->msr_autoload...), derived from the state declaration: every field not marked hidden,
 * labelled as declared; per-counter arrays print one line per counter the CPU has, per-event
 * arrays one per scenario event. Traces print the fields a step changed.
 */
export function describeWorld(w: World, env: ModelEnv): Map<string, string> {
  const m = new Map<string, string>();
  const words = worldWords(w);
  for (const f of SHOWN) {
    const meta = f.meta as FieldMeta;
    if (f.kind === "list") m.set(meta.label, listText(words, f));
    else if (f.kind === "int") m.set(meta.label, render(meta.format, f.read(words), w, env));
    else if (meta.perEvent) {
      env.scenario.events.forEach((e, i) => {
        m.set(`${e.name}.${meta.label}`, render(meta.format, f.read(words, i), w, env));
      });
    } else if (f.path === "ext") {
      for (let i = 0; i < (env.stateSlots ?? 0); i++) m.set(`${meta.label} ext[${i}]`, String(f.read(words, i)));
    } else {
      const n = Math.min(f.count, env.hw.numGp);
      for (let i = 0; i < n; i++) m.set(`${meta.label}[${i}]`, render(meta.format, f.read(words, i), w, env));
    }
  }
  return m;
}

/** The timeline rows: the declared fields marked `timeline`, label and rendered value, in order. */
export function timelineValues(w: World, env: ModelEnv): { readonly label: string; readonly value: string }[] {
  const d = describeWorld(w, env);
  return SHOWN.filter((f) => (f.meta as FieldMeta).timeline).map((f) => {
    const label = (f.meta as FieldMeta).label;
    return { label, value: d.get(label) ?? "" };
  });
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
