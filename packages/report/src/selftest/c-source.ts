import { type Cell, mediatedPmuOf, type Trace } from "@switchlab/model";
import { hostHelpers, INCLUDES } from "./c-helpers.js";
import { classifyTrace, type SelftestStep } from "./classify.js";
import { type Oracle, oracleOf } from "./oracle.js";
import { requirementsOf } from "./requirements.js";

/** What a reproducer is made from: the row, the violated property, and the replayed trace. */
export interface SelftestInput {
  readonly cell: Cell;
  readonly property: { readonly id: string; readonly title: string; readonly symptom: string };
  /** The counterexample's own symptom line (the matrix cell's, or the replay file's title). */
  readonly symptom: string;
  /** Command lines that reproduce the counterexample in switchlab. */
  readonly reproduce: readonly string[];
  readonly trace: Trace;
}

/** Host PEBS sample period: small, so the event overflows many times a tick and throttles. */
const SAMPLE_PERIOD = 10007;
/** Instructions of the model's run loop from perf_guest_get_msrs to VMRESUME (v5.11, assumptions.ts). */
const WINDOW = 311;

/** Text for a C comment: no comment terminator, one line. */
const c = (s: string) => s.replace(/\*\//g, "* /").replace(/\s+/g, " ");

/** Words of `text` in lines of at most `width` columns after `prefix`. */
function wrap(text: string, prefix: string, width = 100): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of c(text).split(" ")) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      out.push(`${prefix}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(`${prefix}${line}`);
  return out;
}

/** A C identifier or file name part from an id. */
export function cName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** perf_event_attr type and config of a host event name, with the perf tool's spelling. */
function attrOf(name: string): { config: string; precise: number } {
  const base = name.split(":")[0] ?? name;
  const config =
    base === "instructions"
      ? "PERF_COUNT_HW_INSTRUCTIONS"
      : base === "branches"
        ? "PERF_COUNT_HW_BRANCH_INSTRUCTIONS"
        : "PERF_COUNT_HW_CPU_CYCLES";
  const pp = /:(p+)/.exec(name)?.[1]?.length ?? 0;
  return { config, precise: pp };
}

/** The guest's PMCs the scenario has it program: KVM guest-counter events (`kvm-pmcN`), mediated guest selectors. */
function guestCounters(cell: Cell): number[] {
  const set = new Set<number>();
  for (const e of cell.scenario.events) {
    const m = /^kvm-(?:pebs-)?pmc(\d+)$/.exec(e.name);
    if (e.excludeHost && m) set.add(Number(m[1]));
  }
  const mediated = mediatedPmuOf(cell.scenario);
  for (let k = 0; mediated && k < 8; k++) if ((mediated.counters >> k) & 1) set.add(k);
  return [...set].sort((a, b) => a - b);
}

/** The comment of one trace step: what the model did, where in the kernel, and its class. */
function stepComment(s: SelftestStep, indent: string): string[] {
  const head = `step ${s.step.n}: ${s.step.action} — ${s.step.fn}`;
  if (s.kind === "step" && s.step.lane !== "host") return [`${indent}/* ${c(head)} (steerable: KVM_RUN) */`];
  const facts = s.step.detail.filter((d) => /^(hw:|printk:|wrmsr )/.test(d)).slice(0, 3);
  const body = [
    ...wrap(`${s.cls}: ${s.how}`, `${indent} * `),
    ...facts.flatMap((f) => wrap(`model: ${f}`, `${indent} * `)),
  ];
  if (s.kind === "step") return [`${indent}/* ${c(head)} (${s.cls}: host activity above) */`];
  return [`${indent}/* ${c(head)}`, ...body.slice(0, -1), `${body.at(-1) as string} */`];
}

/** The guest code of one step, if the step is one the guest places. */
function guestAction(s: SelftestStep, stage: number, indent: string): string[] {
  if (s.kind === "exit")
    return s.arg === "fastpath"
      ? [`${indent}x2apic_write_reg(APIC_ICR, FASTPATH_ICR);`]
      : [`${indent}GUEST_SYNC(${stage});`];
  if (s.kind === "overflow" && s.guestCounter)
    return [`${indent}guest_counter_arm(${s.arg});`, `${indent}guest_spin(2 * GUEST_PERIOD);`];
  if (s.kind === "guest")
    return [s.arg === "ack" ? `${indent}guest_pmi_ack();` : `${indent}guest_toggle_global_ctrl();`];
  return [];
}

/** Round trips of ITERATIONS make every amplified event likely: about WINDOW/SAMPLE_PERIOD each. */
function iterationsFor(amplified: number): number {
  const perEvent = Math.ceil(SAMPLE_PERIOD / WINDOW);
  return Math.min(10_000_000, Math.max(1000, 10 * perEvent ** Math.min(amplified, 4)));
}

function header(x: SelftestInput, steps: readonly SelftestStep[], o: Oracle, iterations: number): string[] {
  const { cell } = x;
  const { policy: po, profile: p, scenario: sc } = cell;
  const n = (k: string) => steps.filter((s) => s.cls === k).length;
  const events = (k: string) => steps.filter((s) => s.cls === k && s.kind !== "step").length;
  const gaps = [
    ...steps
      .filter((s) => s.cls === "unreachable")
      .map((s) => `step ${s.step.n} (${s.step.action}) is unreachable from user space: ${s.how}.`),
    ...(sc.otherMsrs > 0
      ? [
          `the set-up has ${sc.otherMsrs} other MSRs in KVM's autoload lists before perf's; which MSRs KVM switches is KVM's choice (EFER, the PEBS and LBR MSRs, ...), not the test's: it needs a kernel that fills them (a debug patch or a kprobe).`,
        ]
      : []),
    ...(sc.vcpu.kvmPmu
      ? ["the guest's PEBS set-up (its DS area and PEBS_ENABLE, as kvm-unit-tests x86/pmu_pebs.c) is not generated."]
      : []),
  ];
  const out = [
    "// SPDX-License-Identifier: GPL-2.0-only",
    "/*",
    ` * switchlab reproducer: ${c(x.property.id)} violated by policy ${c(po.id)}.`,
    " *",
    ...(gaps.length ? [" * GAP: this test cannot reproduce the whole trace on its own:"] : []),
    ...gaps.flatMap((g) => wrap(`- ${g}`, " *   ")),
    ...(gaps.length ? [" *"] : []),
    ...wrap(`Policy:   ${po.id} (which kernel code: ${po.title})`, " * "),
    ...wrap(`Profile:  ${p.id} (${p.title}); pebs_no_isolation = ${p.pebsNoIsolation ? 1 : 0}`, " * "),
    ...wrap(`Scenario: ${sc.id} (${sc.title})`, " * "),
    ` * Kernel:   ${sc.kernel} (the code the trace follows; on another kernel the test asks whether the race is open there)`,
    ...wrap(`Property: ${x.property.id}: ${x.property.title}`, " * "),
    ...wrap(`Symptom:  ${x.symptom}`, " * "),
    " *",
    " * Reproduce the counterexample in switchlab:",
    ...x.reproduce.map((r) => ` *   ${c(r)}`),
    " *",
    " * Needs (TEST_REQUIRE):",
    ...requirementsOf(cell).flatMap((r) => wrap(`- ${r.expr}: ${r.why}`, " *   ")),
    " *",
    " * Running it needs an Intel host with KVM (and root: /proc/sys, /dev/kmsg, /dev/cpu/N/msr);",
    " * CI machines are not, CI only compiles it.",
    " *",
    ...wrap(`Oracle: ${o.checks}.`, " * "),
    ...(o.cannot ? wrap(`It cannot check: ${o.cannot}.`, " * ") : []),
    " *",
    ` * Trace: ${steps.length} model steps: ${n("steerable")} steerable (the test places them),`,
    ` * ${n("amplified")} amplified (${events("amplified")} events and the host code they start; made likely: small sample periods, ${iterations} iterations${steps.some((s) => s.kind === "sched" || s.kind === "tick") ? ", a racer thread" : ""}),`,
    ` * ${n("unreachable")} unreachable from user space (need kprobes or eBPF).`,
    " * Step comments: steerable, amplified or unreachable, with how the test gets the step.",
    " * Generated by switchlab export-selftest from the model's trace; each step is a comment below.",
    " */",
  ];
  return out;
}

/**
 * The KVM selftest of a counterexample: a C source in the form of
 * tools/testing/selftests/kvm/x86 tests, generated from the replayed trace: the host perf events
 * of the scenario, the throttling sysctls, the guest program per round trip with a comment per
 * trace step (its class: steerable, amplified, unreachable), and the oracle of the property.
 */
export function renderSelftest(x: SelftestInput): string {
  const { cell, trace } = x;
  const sc = cell.scenario;
  const steps = classifyTrace(cell, trace);
  const o = oracleOf(x.property.id, x.property.title, cell.profile.adaptivePebs);
  const amplified = steps.filter((s) => s.cls === "amplified" && s.kind !== "step").length;
  const iterations = iterationsFor(amplified);
  const racer = steps.some((s) => s.kind === "sched" || s.kind === "tick");
  const mux = steps.some((s) => s.kind === "sched");
  const fastpath = steps.some((s) => s.kind === "exit" && s.arg === "fastpath");
  const gcs = guestCounters(cell);
  const hostEvents = sc.events.filter((e) => !e.excludeHost);
  const checkpoint = o.kind === "host-msr";
  const quietTrips = x.property.id === "stale-bit-bounded" ? sc.staleBound + 1 : 1;

  const L: string[] = [...header(x, steps, o, iterations), ...INCLUDES, ""];
  L.push(
    `#define HOST_CPU\t\t${cell.profile.cpu}`,
    "/* Kernel HZ: max_samples_per_tick = DIV_ROUND_UP(perf_event_max_sample_rate, HZ). */",
    "#ifndef HOST_HZ",
    "#define HOST_HZ\t\t\t250",
    "#endif",
    `#define MAX_SAMPLES_PER_TICK\t${sc.maxSamplesPerTick}`,
    `/* A host overflow every SAMPLE_PERIOD events: a PMI lands in a ${WINDOW}-instruction window about once per ${Math.ceil(SAMPLE_PERIOD / WINDOW)} round trips. */`,
    `#define SAMPLE_PERIOD\t\t${SAMPLE_PERIOD}`,
    `/* ${amplified} amplified event(s), each about 1 in ${Math.ceil(SAMPLE_PERIOD / WINDOW)}: 10 x ${Math.ceil(SAMPLE_PERIOD / WINDOW)}^${Math.min(amplified, 4)} round trips (at least 1000, at most 10^7). */`,
    "#ifndef ITERATIONS",
    `#define ITERATIONS\t\t${iterations}ULL`,
    "#endif",
    "/* Guest instructions to a guest counter's overflow. */",
    "#define GUEST_PERIOD\t\t1000",
    ...(checkpoint ? ["#define CHECKPOINT\t\t1000", `#define QUIET_TRIPS\t\t${quietTrips}`] : []),
    ...(fastpath
      ? [
          "/* A fixed self-IPI (destination APIC ID 0, physical): the ICR write KVM handles in its fastpath. */",
          "#define FASTPATH_ICR\t\t(APIC_DEST_PHYSICAL | APIC_DM_FIXED | 0xf0)",
        ]
      : []),
    "",
    "#ifndef X86_FEATURE_DS",
    "#define X86_FEATURE_DS\t\tKVM_X86_CPU_FEATURE(0x1, 0, EDX, 21)",
    "#endif",
    "",
  );

  // Guest side.
  if (steps.some((s) => s.kind === "overflow" && s.guestCounter))
    L.push(
      "static void guest_spin(uint64_t n)",
      "{",
      "\tfor (uint64_t j = 0; j < n; j++)",
      '\t\t__asm__ __volatile__("nop");',
      "}",
      "",
    );
  if (gcs.length || o.kind === "guest-readback")
    L.push(
      "static uint64_t guest_global_ctrl;",
      "static uint64_t guest_counters;",
      "static uint64_t guest_evtsel[8];",
      "",
    );
  if (gcs.length)
    L.push(
      "/* The guest presets its counter i GUEST_PERIOD events short of overflow and enables it. */",
      "static void guest_counter_arm(int i)",
      "{",
      "\tguest_evtsel[i] = ARCH_PERFMON_EVENTSEL_ENABLE | ARCH_PERFMON_EVENTSEL_OS |",
      "\t\t\t  ARCH_PERFMON_EVENTSEL_INT | INTEL_ARCH_CPU_CYCLES;",
      "\twrmsr(MSR_P6_EVNTSEL0 + i, 0);",
      "\twrmsr(MSR_IA32_PERFCTR0 + i, (uint32_t)-GUEST_PERIOD);\t/* sign-extended */",
      "\twrmsr(MSR_P6_EVNTSEL0 + i, guest_evtsel[i]);",
      "\tguest_counters |= BIT_ULL(i);",
      "\tguest_global_ctrl |= BIT_ULL(i);",
      "\twrmsr(MSR_CORE_PERF_GLOBAL_CTRL, guest_global_ctrl);",
      "}",
      "",
    );
  // Each guest helper only where the trace calls it (the selftests build with -Werror).
  const guestWrite = (ack: boolean) => steps.some((s) => s.kind === "guest" && (s.arg === "ack") === ack);
  if (gcs.length && guestWrite(false))
    L.push(
      "/* The guest turns its counters off, or back on (GLOBAL_CTRL is passed through). */",
      "static void guest_toggle_global_ctrl(void)",
      "{",
      "\tguest_global_ctrl = guest_global_ctrl ? 0 : guest_counters;",
      "\twrmsr(MSR_CORE_PERF_GLOBAL_CTRL, guest_global_ctrl);",
      "}",
      "",
    );
  if (gcs.length && guestWrite(true))
    L.push(
      "/* A guest PMI handler: ack its overflows and re-arm those counters (passed through). */",
      "static void guest_pmi_ack(void)",
      "{",
      "\tuint64_t st = rdmsr(MSR_CORE_PERF_GLOBAL_STATUS) & guest_counters;",
      "\tint i;",
      "",
      "\twrmsr(MSR_CORE_PERF_GLOBAL_OVF_CTRL, st);",
      "\tfor (i = 0; i < 8; i++)",
      "\t\tif (st & BIT_ULL(i))",
      "\t\t\twrmsr(MSR_IA32_PERFCTR0 + i, (uint32_t)-GUEST_PERIOD);",
      "}",
      "",
    );
  if (o.kind === "guest-readback" && steps.some((s) => s.kind === "exit"))
    L.push(
      "/* After a VM-exit and re-entry the guest's PMU state is what the guest wrote. */",
      "static void guest_pmu_readback(void)",
      "{",
      "\tGUEST_ASSERT_EQ(rdmsr(MSR_CORE_PERF_GLOBAL_CTRL), guest_global_ctrl);",
      ...gcs.map((k) => `\tGUEST_ASSERT_EQ(rdmsr(MSR_P6_EVNTSEL0 + ${k}), guest_evtsel[${k}]);`),
      "}",
      "",
    );
  if (o.kind === "guest-pf")
    L.push(
      "static uint64_t guest_cr2(void)",
      "{",
      "\tuint64_t v;",
      "",
      '\t__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));',
      "\treturn v;",
      "}",
      "",
      "/* Oracle: no guest #PF; a PEBS assist reading the host debug store faults at DS_AREA + 0x38. */",
      "static void guest_pf_handler(struct ex_regs *regs)",
      "{",
      "\tuint64_t cr2 = guest_cr2();",
      "",
      "\t__GUEST_ASSERT((cr2 & 0xfff) != 0x38,",
      '\t\t       "guest #PF at 0x%lx = host DS_AREA + 0x38 (pebs_interrupt_threshold), rip 0x%lx", cr2, regs->rip);',
      '\tGUEST_FAIL("unexpected guest #PF at 0x%lx, rip 0x%lx", cr2, regs->rip);',
      "}",
      "",
    );
  L.push("static void guest_code(void)", "{", "\tuint64_t i;", "");
  if (fastpath) L.push("\tx2apic_enable();");
  const backing = mediatedPmuOf(sc)
    ? "the mediated vPMU gives it the hardware counter"
    : "KVM backs it with a perf event";
  for (const k of gcs) L.push(`\tguest_counter_arm(${k});\t/* set-up: the guest's PMC ${k} (${backing}) */`);
  L.push("", "\tfor (i = 0; i < ITERATIONS; i++) {");
  let stage = 1;
  let trip = 1;
  L.push(`\t\t/* round trip ${trip} */`);
  for (const s of steps) {
    L.push(...guestAction(s, stage, "\t\t").filter((l) => !l.includes("GUEST_SYNC")));
    L.push(...stepComment(s, "\t\t"));
    if (s.kind === "exit") {
      if (s.arg !== "fastpath") L.push(`\t\tGUEST_SYNC(${stage});`);
      if (o.kind === "guest-readback") L.push("\t\tguest_pmu_readback();");
      stage++;
      trip++;
      L.push(`\t\t/* round trip ${trip} */`);
    }
  }
  L.push("\t\t/* end of the trace: the symptom shows here; the round trip ends */", `\t\tGUEST_SYNC(${stage});`, "\t}");
  if (checkpoint)
    L.push(
      "\t/* checkpoint: guest counters stopped, the host disables its events, QUIET_TRIPS more round trips */",
      "\twrmsr(MSR_CORE_PERF_GLOBAL_CTRL, 0);",
      "\tGUEST_SYNC(CHECKPOINT);",
      "\tfor (i = 0; i < QUIET_TRIPS; i++)",
      "\t\tGUEST_SYNC(CHECKPOINT + 1 + i);",
    );
  L.push("\tGUEST_DONE();", "}", "");

  // Host side.
  L.push(...hostHelpers({ racer, oracle: o.kind, msr: checkpoint || sc.events.some((e) => e.precise) }));
  L.push(
    'static struct knob rate = { .path = "/proc/sys/kernel/perf_event_max_sample_rate" };',
    'static struct knob pct = { .path = "/proc/sys/kernel/perf_cpu_time_max_percent" };',
    ...(mux
      ? ['static struct knob mux = { .path = "/sys/bus/event_source/devices/cpu/perf_event_mux_interval_ms" };']
      : []),
    "",
    "/* Put the knobs back (perf_event_max_sample_rate is refused while perf_cpu_time_max_percent is 0 or 100). */",
    "static void knobs_restore(void)",
    "{",
    "\tif (!pct.saved[0] || !rate.saved[0])",
    "\t\treturn;\t/* the test stopped before it changed them */",
    '\tknob_write(&pct, "25", false);',
    "\tknob_write(&rate, rate.saved, false);",
    "\tknob_write(&pct, pct.saved, false);",
    ...(mux ? ["\tif (mux.saved[0])", "\t\tknob_write(&mux, mux.saved, false);"] : []),
    "}",
    "",
    "int main(int argc, char *argv[])",
    "{",
    `\tint host_fd[${Math.max(1, hostEvents.length)}];`,
    "\tstruct perf_event_attr attr;",
    "\tstruct kvm_vcpu *vcpu;",
    "\tstruct kvm_vm *vm;",
    "\tstruct ucall uc;",
    "\tchar value[32];",
    ...(checkpoint ? [`\tuint64_t before[${o.msrs?.length ?? 1}];`] : []),
    ...(o.kind === "kmsg" ? ["\tint kmsg_fd;"] : []),
    ...(o.kind === "kvm-run-eio" ? ["\tint r;"] : []),
    ...(racer ? ["\tpthread_t racer_thread;"] : []),
    "",
  );
  for (const r of requirementsOf(cell)) L.push(`\tTEST_REQUIRE(${r.expr});`);
  L.push(
    "",
    "\t/* The vCPU, the host events and the MSRs read are all on HOST_CPU. */",
    "\tkvm_pin_this_task_to_pcpu(HOST_CPU);",
  );
  if (checkpoint)
    for (const [i, m] of (o.msrs ?? []).entries())
      L.push(`\tbefore[${i}] = host_msr_read(HOST_CPU, 0x${m.index.toString(16)});\t/* ${m.name} */`);
  L.push(
    "",
    "\t/* Throttling: MAX_SAMPLES_PER_TICK samples per tick, and no dynamic lowering of the rate. */",
    "\tatexit(knobs_restore);",
    '\tknob_write(&pct, "25", true);',
    '\tsnprintf(value, sizeof(value), "%d", MAX_SAMPLES_PER_TICK * HOST_HZ);',
    "\tknob_write(&rate, value, true);",
    '\tknob_write(&pct, "100", false);',
    ...(mux
      ? ["\t/* perf rotates events between counters every millisecond */", '\tknob_write(&mux, "1", true);']
      : []),
    "",
  );
  hostEvents.forEach((e, i) => {
    const a = attrOf(e.name);
    L.push(
      `\t/* host event ${i}: ${c(e.name)}${e.precise ? " (PEBS)" : ""}${e.excludeGuest ? ", exclude_guest" : ", counts in the guest too"} */`,
      "\tmemset(&attr, 0, sizeof(attr));",
      "\tattr.type = PERF_TYPE_HARDWARE;",
      "\tattr.size = sizeof(attr);",
      `\tattr.config = ${a.config};`,
      "\tattr.sample_period = SAMPLE_PERIOD;",
      "\tattr.sample_type = PERF_SAMPLE_IP;",
      ...(e.precise ? [`\tattr.precise_ip = ${Math.max(1, a.precise)};`] : []),
      ...(e.excludeGuest ? ["\tattr.exclude_guest = 1;"] : []),
      `\thost_fd[${i}] = perf_event_open(&attr, -1, HOST_CPU, -1, 0);`,
      `\t__TEST_REQUIRE(host_fd[${i}] >= 0, "perf_event_open(${c(e.name)}): errno %d", errno);`,
      "",
    );
  });
  for (const e of sc.events.filter((x) => x.excludeHost))
    L.push(`\t/* ${c(e.name)}: KVM's own perf event (exclude_host), created when the guest programs its counter */`);
  L.push("\tvm = vm_create_with_one_vcpu(&vcpu, guest_code);");
  if (!sc.vcpu.hasPmu)
    L.push("\tvcpu_set_cpuid_property(vcpu, X86_PROPERTY_PMU_VERSION, 0);\t/* a vCPU without a PMU */");
  if (o.kind === "guest-pf") L.push("\tvm_install_exception_handler(vm, PF_VECTOR, guest_pf_handler);");
  if (o.kind === "kmsg")
    L.push(
      '\tkmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);',
      '\t__TEST_REQUIRE(kmsg_fd >= 0, "/dev/kmsg: needs root");',
      "\tlseek(kmsg_fd, 0, SEEK_END);",
    );
  if (racer) L.push("\tTEST_ASSERT_EQ(pthread_create(&racer_thread, NULL, racer, NULL), 0);");
  L.push("", "\tfor (;;) {");
  if (o.kind === "kvm-run-eio")
    L.push(
      "\t\tr = _vcpu_run(vcpu);",
      '\t\tTEST_ASSERT(!(r < 0 && errno == EIO), "KVM_RUN: EIO, KVM killed the VM (KVM_BUG_ON)");',
      '\t\tTEST_ASSERT(!r, "KVM_RUN failed, errno %d", errno);',
    );
  else L.push("\t\tvcpu_run(vcpu);");
  L.push("\t\tswitch (get_ucall(vcpu, &uc)) {", "\t\tcase UCALL_SYNC:");
  if (o.kind === "kmsg") L.push(`\t\t\tkmsg_check(kmsg_fd, "${o.kmsg}");`);
  if (checkpoint)
    L.push(
      "\t\t\tif (uc.args[1] == CHECKPOINT)",
      `\t\t\t\tfor (int j = 0; j < ${hostEvents.length}; j++)`,
      "\t\t\t\t\tioctl(host_fd[j], PERF_EVENT_IOC_DISABLE, 0);",
    );
  L.push(
    "\t\t\tcontinue;",
    "\t\tcase UCALL_DONE:",
    "\t\t\tbreak;",
    "\t\tcase UCALL_ABORT:",
    "\t\t\tREPORT_GUEST_ASSERT(uc);",
    "\t\tdefault:",
    '\t\t\tTEST_FAIL("Unexpected ucall %lu", uc.cmd);',
    "\t\t}",
    "\t\tbreak;",
    "\t}",
    "",
  );
  if (racer)
    L.push(
      "\tTEST_ASSERT_EQ(pthread_cancel(racer_thread), 0);",
      "\tTEST_ASSERT_EQ(pthread_join(racer_thread, NULL), 0);",
    );
  if (checkpoint)
    for (const [i, m] of (o.msrs ?? []).entries())
      L.push(`\tTEST_ASSERT_EQ(host_msr_read(HOST_CPU, 0x${m.index.toString(16)}), before[${i}]);\t/* ${m.name} */`);
  if (o.kind === "kmsg") L.push(`\tkmsg_check(kmsg_fd, "${o.kmsg}");`, "\tclose(kmsg_fd);");
  L.push(
    `\tfor (int j = 0; j < ${hostEvents.length}; j++)`,
    "\t\tclose(host_fd[j]);",
    "\tkvm_vm_free(vm);",
    "\treturn 0;",
    "}",
  );
  return `${L.join("\n")}\n`;
}
