/**
 * What a renderer needs to know about a state field, declared with the field itself (state
 * schemas, @switchlab/explorer): the name the kernel or the SDM gives it, how to print its value,
 * and whether the trace's timeline draws it as a row.
 */
export type FieldFormat =
  /** 0/1 as "root"/"non-root". */
  | "mode"
  /** A compressed counter mask as the architectural 64-bit value (msr-index.ts). */
  | "mask"
  /** A mask over counters as a set, e.g. {0,2}. */
  | "counters"
  /** A DS_AREA model value as the address it stands for. */
  | "ds"
  /** A number in decimal. */
  | "int"
  /** 0/1 as no/yes. */
  | "yes-no"
  /** LVTPC's mask bit. */
  | "lvtpc"
  /** LVTPC's delivery mode: NMI or vector 0xf5. */
  | "lvtpc-mode"
  /** Guest/host owner bits (OWNER_GUEST, OWNER_HOST). */
  | "owners"
  /** Pending PMI sources (apic.ts). */
  | "pmi-sources"
  /** PEBS records in the host buffer: pebs_index. */
  | "pebs-records"
  /** An MSR-load list as [MSR=value, ...]. */
  | "msr-list"
  /** VM_ENTRY/EXIT_LOAD_IA32_PERF_GLOBAL_CTRL as "entry/exit". */
  | "load-controls"
  /** The guest #PF flag with the DS it faulted on. */
  | "guest-pf"
  /** cpuc->events[k]: an event index + 1, 0 for NULL. */
  | "event-slot"
  /** hwc->interrupts, with MAX_INTERRUPTS. */
  | "interrupts"
  /** nmi.c's last_nmi_rip. */
  | "rip"
  /** KVM's last exit reason. */
  | "exit-reason";

export interface FieldMeta {
  /** The name traces print: the kernel's (`cpuc->pebs_enabled`), the SDM's (`PEBS_ENABLE`). */
  readonly label: string;
  readonly format: FieldFormat;
  /** Per-event arrays print one line per scenario event, labelled `<event>.<label>`. */
  readonly perEvent?: boolean;
  /** Drawn as a row of the HTML timeline (values after each step). */
  readonly timeline?: boolean;
  /** Bookkeeping of the model itself (program counters, budgets): not printed as a change. */
  readonly hidden?: boolean;
}

export const meta = (label: string, format: FieldFormat, more: Partial<FieldMeta> = {}): FieldMeta => ({
  label,
  format,
  ...more,
});
