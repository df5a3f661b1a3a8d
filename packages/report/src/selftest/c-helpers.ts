import type { OracleKind } from "./oracle.js";

/**
 * The host-side C helpers a reproducer calls, each emitted only when the trace needs it: host
 * MSR reads through /dev/cpu/N/msr, the microcode revision, the /proc/sys knobs (saved and put
 * back at exit), perf_event_open, the kernel log and the racer thread. They are library code of
 * the generated test, the same in every file that uses them; what the test does comes from the
 * trace (c-source.ts).
 */
export function hostHelpers(o: { racer: boolean; oracle: OracleKind; msr: boolean }): string[] {
  const msr = [
    "static uint64_t host_msr_read(int cpu, uint32_t msr)",
    "{",
    "\tchar path[64];",
    "\tuint64_t v;",
    "\tint fd;",
    "",
    '\tsnprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);',
    "\tfd = open(path, O_RDONLY);",
    '\t__TEST_REQUIRE(fd >= 0, "%s: modprobe msr and run as root", path);',
    '\tTEST_ASSERT(pread(fd, &v, sizeof(v), msr) == sizeof(v), "pread %s at 0x%x", path, msr);',
    "\tclose(fd);",
    "\treturn v;",
    "}",
    "",
  ];
  const out: string[] = [
    ...(o.msr ? msr : []),
    "/* The loaded microcode revision of HOST_CPU (sysfs), 0 when unknown. */",
    "static uint64_t host_microcode(void)",
    "{",
    "\tchar path[96], buf[32] = {};",
    "\tint fd;",
    "",
    '\tsnprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/microcode/version", HOST_CPU);',
    "\tfd = open(path, O_RDONLY);",
    "\tif (fd < 0)",
    "\t\treturn 0;",
    "\tif (read(fd, buf, sizeof(buf) - 1) < 0)",
    "\t\tbuf[0] = 0;",
    "\tclose(fd);",
    "\treturn strtoull(buf, NULL, 16);",
    "}",
    "",
    "struct knob {",
    "\tconst char *path;",
    "\tchar saved[64];",
    "};",
    "",
    "static void knob_write(struct knob *k, const char *value, bool save)",
    "{",
    "\tint fd = open(k->path, O_RDWR);",
    "\tssize_t n;",
    "",
    '\t__TEST_REQUIRE(fd >= 0, "%s: needs root", k->path);',
    "\tif (save) {",
    "\t\tn = read(fd, k->saved, sizeof(k->saved) - 1);",
    '\t\tTEST_ASSERT(n > 0, "read %s", k->path);',
    "\t\tk->saved[n] = 0;",
    "\t}",
    '\tTEST_ASSERT(pwrite(fd, value, strlen(value), 0) == (ssize_t)strlen(value), "write %s to %s", value, k->path);',
    "\tclose(fd);",
    "}",
    "",
    "static long perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, unsigned long flags)",
    "{",
    "\treturn syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);",
    "}",
    "",
  ];
  if (o.oracle === "kmsg")
    out.push(
      "/* Fail when a record of the kernel log written since kmsg_fd was opened contains `text`. */",
      "static void kmsg_check(int kmsg_fd, const char *text)",
      "{",
      "\tchar rec[2048];",
      "\tssize_t n;",
      "",
      "\tfor (;;) {",
      "\t\tn = read(kmsg_fd, rec, sizeof(rec) - 1);",
      "\t\tif (n < 0 && errno == EPIPE)",
      "\t\t\tcontinue;\t/* records overwritten: read on */",
      "\t\tif (n <= 0)",
      "\t\t\tbreak;",
      "\t\trec[n] = 0;",
      '\t\tTEST_ASSERT(!strstr(rec, text), "kernel log: %s", rec);',
      "\t}",
      "}",
      "",
    );
  if (o.racer)
    out.push(
      "/* The racer (sync_regs_test's pattern): on the vCPU's CPU, forces context switches of the vCPU task. */",
      "static void *racer(void *arg)",
      "{",
      "\tkvm_pin_this_task_to_pcpu(HOST_CPU);",
      "\tfor (;;) {",
      "\t\tsched_yield();",
      "\t\tpthread_testcancel();",
      "\t}",
      "\treturn NULL;",
      "}",
      "",
    );
  return out;
}

/** The includes of a reproducer (the KVM selftests' headers after the system's). */
export const INCLUDES: readonly string[] = [
  "#include <errno.h>",
  "#include <fcntl.h>",
  "#include <pthread.h>",
  "#include <sched.h>",
  "#include <stdbool.h>",
  "#include <stdio.h>",
  "#include <stdlib.h>",
  "#include <string.h>",
  "#include <sys/ioctl.h>",
  "#include <sys/syscall.h>",
  "#include <unistd.h>",
  "#include <linux/perf_event.h>",
  "",
  '#include "apic.h"',
  '#include "kvm_util.h"',
  '#include "pmu.h"',
  '#include "processor.h"',
  '#include "ucall_common.h"',
];
