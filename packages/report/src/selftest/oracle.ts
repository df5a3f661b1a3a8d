/**
 * The oracle a selftest checks, from the violated property: how the symptom shows on a real
 * host, and what the check cannot see. Properties about host MSRs read them through
 * /dev/cpu/N/msr; kernel messages are searched in /dev/kmsg; a dead VM is KVM_RUN failing with
 * EIO; a PEBS assist reading the host debug store from the guest is a guest #PF.
 */
export type OracleKind = "guest-pf" | "kmsg" | "kvm-run-eio" | "host-msr" | "guest-readback";

export interface Oracle {
  readonly kind: OracleKind;
  /** What the test checks, in a sentence. */
  readonly checks: string;
  /** What the property asks that the check cannot see (empty when it sees the symptom itself). */
  readonly cannot: string;
  /** kmsg: the text searched for. */
  readonly kmsg?: string;
  /** host-msr: the MSRs compared with the values read before the VM ran. */
  readonly msrs?: readonly { readonly name: string; readonly index: number }[];
}

const UNKNOWN_NMI = "Uhhuh. NMI received for unknown reason";
const PEBS_ENABLE = { name: "MSR_IA32_PEBS_ENABLE", index: 0x3f1 };
const GLOBAL_CTRL = { name: "MSR_CORE_PERF_GLOBAL_CTRL", index: 0x38f };
const DS_AREA = { name: "MSR_IA32_DS_AREA", index: 0x600 };
const PEBS_DATA_CFG = { name: "MSR_PEBS_DATA_CFG", index: 0x3f2 };

const HOST_MSR_WHEN =
  "at the checkpoint after the race (host events disabled, guest counters stopped, more round trips run), the host MSRs read through /dev/cpu/N/msr must equal what they read before the VM ran";

/** The oracle of a property; `adaptivePebs` adds PEBS_DATA_CFG to the host MSRs perf hands KVM. */
export function oracleOf(property: string, title: string, adaptivePebs = false): Oracle {
  switch (property) {
    case "no-guest-pf-on-host-ds":
      return {
        kind: "guest-pf",
        checks:
          "a guest #PF handler (vm_install_exception_handler, PF_VECTOR) fails the test with CR2: a PEBS assist reading the host DS_AREA + 0x38 from the guest faults there",
        cannot: "",
      };
    case "no-host-pebs-in-guest":
      return {
        kind: "guest-pf",
        checks: "a guest #PF handler fails the test when a host PEBS assist faults through the guest's page tables",
        cannot:
          "a live PEBS_ENABLE bit in VMX non-root that writes a record without faulting (into guest memory) is not seen; the MSR cannot be read from VMX non-root",
      };
    case "no-unknown-nmi":
      return { kind: "kmsg", kmsg: UNKNOWN_NMI, checks: `/dev/kmsg must not print "${UNKNOWN_NMI}"`, cannot: "" };
    case "no-late-second-nmi":
      return {
        kind: "kmsg",
        kmsg: UNKNOWN_NMI,
        checks: `/dev/kmsg must not print "${UNKNOWN_NMI}"`,
        cannot: "an unknown NMI for a PMI the previous NMI already handled looks the same as any other unknown NMI",
      };
    case "switch-lists-fit":
      return {
        kind: "kmsg",
        kmsg: "Not enough msr switch entries",
        checks: '/dev/kmsg must not print "Not enough msr switch entries"',
        cannot: "add_atomic_switch_msr prints it with printk_once: only the first time since boot",
      };
    case "vm-not-killed":
      return {
        kind: "kvm-run-eio",
        checks: "KVM_RUN must not fail with EIO (KVM_BUG_ON kills the VM)",
        cannot: "",
      };
    case "host-pebs-enable-fresh":
      return {
        kind: "host-msr",
        msrs: [PEBS_ENABLE],
        checks: `${HOST_MSR_WHEN} (PEBS_ENABLE 0x3f1)`,
        cannot:
          "a stale bit that perf rewrites before user space reads the MSR, and any comparison with cpuc->pebs_enabled while the host event runs (needs a kprobe or eBPF on the exit path)",
      };
    case "stale-bit-bounded":
      return {
        kind: "host-msr",
        msrs: [PEBS_ENABLE],
        checks: `${HOST_MSR_WHEN} (PEBS_ENABLE 0x3f1), after the scenario's stale bound of round trips`,
        cannot: "how many round trips a stale bit lasted while the host event ran (cpuc->pebs_enabled is not visible)",
      };
    case "host-perf-msrs-fresh":
      return {
        kind: "host-msr",
        msrs: adaptivePebs ? [GLOBAL_CTRL, DS_AREA, PEBS_DATA_CFG] : [GLOBAL_CTRL, DS_AREA],
        checks: `${HOST_MSR_WHEN} (GLOBAL_CTRL, DS_AREA${adaptivePebs ? ", PEBS_DATA_CFG" : ""})`,
        cannot: "a stale value perf rewrites before user space reads it (x86_pmu_enable rewrites GLOBAL_CTRL)",
      };
    case "no-pebs-with-int":
      return {
        kind: "host-msr",
        msrs: [PEBS_ENABLE],
        checks: `${HOST_MSR_WHEN} (PEBS_ENABLE 0x3f1)`,
        cannot:
          "a counter with both its PEBS_ENABLE bit and EVTSEL.INT inside the run loop; one overflow raising two PMIs shows only as an unknown NMI, if at all",
      };
    default:
      if (property.startsWith("mediated-"))
        return {
          kind: "guest-readback",
          checks:
            "the guest reads back its GLOBAL_CTRL and event selectors after every VM-exit (GUEST_ASSERT_EQ against what it wrote)",
          cannot: `${title}: host counters counting guest code and where a PMI is delivered are not visible from the guest or user space`,
        };
      return {
        kind: "kmsg",
        kmsg: "WARNING:",
        checks: "/dev/kmsg must not print a kernel WARNING",
        cannot: `${title}: not observable from user space; the test only runs the interleaving`,
      };
  }
}
