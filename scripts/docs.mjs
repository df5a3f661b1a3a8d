#!/usr/bin/env node
// Rewrites the generated blocks of README.md and docs/*.md from data: the code's own registries
// (imported from the built packages' dist) and, for the blocks about results, a matrix JSON.
//
//   node scripts/docs.mjs [--matrix <matrix.json>]           rewrite every block
//   node scripts/docs.mjs --check [--matrix <matrix.json>]   rewrite nothing; exit 1 naming each
//                                                            block that is out of date
//
// Blocks: `<!-- generated:NAME -->` ... `<!-- /generated:NAME -->`. The matrix comes from `pnpm -s
// switchlab matrix --format json --out <path>`; blocks that need it are skipped with a note without
// --matrix, and fail --check. Run `node scripts/build.mjs` first (registries are read from dist).

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const mi = args.indexOf("--matrix");
const matrixPath = mi >= 0 ? args[mi + 1] : undefined;
if (mi >= 0 && !matrixPath) {
  console.error("docs: --matrix needs a path");
  process.exit(2);
}

const dist = (pkg) => import(join(root, "packages", pkg, "dist", "index.js"));
const { PROPERTIES, SCENARIOS, findScenarioRow, fromJsonForm } = await dist("conformance");
const { builtinProfiles } = await dist("hardware");
const { discoverPolicies } = await dist("policy-api");
const { runLoopInsns, MEDIATED_INSNS, VMX_TRANSITION_INSNS } = await dist("kvm");
const { NMI_RETURN_INSNS } = await dist("perf");

let matrix;
if (matrixPath) matrix = fromJsonForm(JSON.parse(readFileSync(matrixPath, "utf8")));

// ---- Markdown helpers -------------------------------------------------------------------------

const esc = (s) =>
  String(s ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
function table(head, rows, align = []) {
  const sep = head.map((_, i) => (align[i] === "r" ? "---:" : "---"));
  return [head, sep, ...rows].map((r) => `| ${r.map(esc).join(" | ")} |`).join("\n");
}
const code = (s) => `\`${s}\``;

// ---- What the matrix says ---------------------------------------------------------------------

const VERDICTS = ["violated", "holds", "unknown", "vacuous", "not-applicable", "error"];
const SHORT = {
  violated: "violated",
  holds: "holds",
  unknown: "unknown",
  vacuous: "vacuous",
  "not-applicable": "n/a",
  error: "error",
};
const isMediated = (scenarioId) => findScenarioRow(scenarioId)?.kvm?.enableMediatedPmu === true;
const kernelOf = (m) => new Map(m.scenarios.map((s) => [s.id, s.kernel]));
/** The path a row follows: its kernel, or "v7.3 mediated" for the mediated vPMU's rows. */
const pathOf = (m) => {
  const k = kernelOf(m);
  return (scenarioId) => (isMediated(scenarioId) ? `${k.get(scenarioId)} mediated` : k.get(scenarioId));
};
const noIso = (m) => new Set(m.profiles.filter((p) => p.pebsNoIsolation).map((p) => p.id));
function counts(cells) {
  const n = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  for (const c of cells) n[c.verdict]++;
  return VERDICTS.filter((v) => n[v] > 0)
    .map((v) => `${n[v]} ${SHORT[v]}`)
    .join(", ");
}
function cost(m, policy, scenario, profile = "emerald-rapids") {
  const c = m.costs.find((x) => x.policy === policy && x.profile === profile && x.scenario === scenario);
  return c ? `${c.cyclesPerRoundtrip} / ${c.msrWritesPerRoundtrip}` : "-";
}

// ---- The blocks -------------------------------------------------------------------------------

const BLOCKS = {
  properties: () =>
    table(
      ["id", "what must hold", "applies to", "symptom when not", "consequence (why a kernel developer fixes it)"],
      PROPERTIES.map((p) => [code(p.id), p.title, p.appliesTo ?? "every row", p.symptom, p.consequence]),
    ),

  scenarios: () =>
    table(
      ["id", "kernel", "what may happen", "source", "guards (`sometimes`)"],
      SCENARIOS.map((s) => [
        code(s.id),
        s.kvm?.enableMediatedPmu ? `${s.kernel}, mediated` : s.kernel,
        s.title,
        s.source ?? "",
        s.guards.join(", "),
      ]),
    ),

  profiles: () =>
    table(
      ["id", "CPU", "PMU version", "pebs_no_isolation (derived)"],
      builtinProfiles().map((p) => [code(p.id), p.title, p.pmuVersion, p.pebsNoIsolation]),
    ),

  // Stretches of the run loop in instructions, as the model's counted steps add up (kvm/src/insns.ts).
  insns: () => {
    const ks = ["v5.11", "v6.16", "v7.3"];
    const toEntry = (n) => n.timers + n.specCtrl + n.enterIrqoff + n.vmresume;
    const rows = [
      ["atomic_switch_perf_msrs returns -> VMRESUME", toEntry],
      ["add_atomic_switch_msr's WRMSR PEBS_ENABLE = 0 -> VMRESUME", (n) => n.addListMsr + n.loopCompare + toEntry(n)],
      ["VM-exit -> the NMI handler's call (v6.16 and later)", (n) => n.exitToNmi || "-"],
      ["VM-exit -> the fastpath decision", (n) => n.exitToNmi + n.toFastpath],
    ].map(([label, f]) => [label, ...ks.map((k) => f(runLoopInsns(k)))]);
    rows.push([
      "the VM-exit itself (`VMX_TRANSITION_INSNS`; VMRESUME is the last of the counts above)",
      ...ks.map(() => VMX_TRANSITION_INSNS.vmExit),
    ]);
    // The mediated vPMU's window from the VM-exit to perf_put_guest_lvtpc's LVTPC write (v7.3 only).
    const m = MEDIATED_INSNS;
    const toPut = (refresh) => {
      const n = runLoopInsns("v7.3");
      return n.exitToNmi + refresh + n.toFastpath + m.intelPut + m.putPmcs + m.lvtpcFlag;
    };
    rows.push([
      "mediated: VM-exit -> perf_put_guest_lvtpc's apic_write (exit save control / MSR-store list)",
      "-",
      "-",
      `${toPut(m.refreshSave)} / ${toPut(m.refreshAutostore)}`,
    ]);
    rows.push(["late-ack LVTPC unmask -> the NMI's IRET (`NMI_RETURN_INSNS`)", NMI_RETURN_INSNS, "", ""]);
    return table(["stretch", "v5.11", "v6.16", "v7.3 (7.1.5)"], rows, ["", "r", "r", "r"]);
  },

  policies: async () => {
    const { policies } = await discoverPolicies(root);
    return policies
      .map((p) => {
        const ext = p.extends?.length ? ` Extends ${p.extends.map((e) => code(e.id)).join(", ")}.` : "";
        return `- [${code(p.id)}](../policies/${p.id}/README.md): ${p.title}. Upstream: [${p.upstream.cite}](${p.upstream.url}).${ext}`;
      })
      .join("\n");
  },

  // Every cell's verdict, counted per policy, per path (kernel, or the mediated vPMU) and CPU class.
  "candidate-summary": (m) => {
    const path = pathOf(m);
    const ni = noIso(m);
    const paths = [...new Set(m.scenarios.map((s) => path(s.id)))].sort();
    const rows = [];
    for (const p of m.policies)
      for (const k of paths) {
        const cells = m.cells.filter((c) => c.policy === p.id && path(c.scenario) === k);
        if (!cells.length) continue;
        rows.push([
          code(p.id),
          k,
          counts(cells.filter((c) => ni.has(c.profile))),
          counts(cells.filter((c) => !ni.has(c.profile))),
        ]);
      }
    const n = m.profiles.length - ni.size;
    return table(["policy", "rows at", "CPU without PEBS isolation", `CPUs with isolation (${n} profiles)`], rows);
  },

  // The MSR-list rows per kernel: violated cells per CPU, and cycles / MSR writes on Emerald Rapids.
  "candidate-kernels": (m) => {
    const k = kernelOf(m);
    const iso = m.profiles.filter((x) => !x.pebsNoIsolation);
    const ni = m.profiles.filter((x) => x.pebsNoIsolation).map((x) => x.id);
    const kernels = [...new Set(m.scenarios.map((s) => s.kernel))].sort();
    const rows = [];
    for (const p of m.policies)
      for (const kv of kernels) {
        const cells = m.cells.filter((c) => c.policy === p.id && k.get(c.scenario) === kv && !isMediated(c.scenario));
        if (!cells.length) continue;
        const v = (ids) => cells.filter((c) => ids.includes(c.profile) && c.verdict === "violated").length;
        const at = (id) => (kv === "v7.3" ? `${id}@v7.3` : id);
        const old = kv === "v5.11";
        rows.push([
          code(p.id),
          kv,
          new Set(cells.map((c) => c.scenario)).size,
          v(ni),
          iso.map((x) => v([x.id])).join(" / "),
          old ? "-" : cost(m, p.id, at("host-pebs-v616")),
          old ? "-" : cost(m, p.id, at("guest-pebs")),
        ]);
      }
    return table(
      [
        "policy",
        "kernel",
        "rows",
        "violated, no isolation",
        `violated, isolated (${iso.map((x) => x.id).join(" / ")})`,
        "EMR host PEBS",
        "EMR guest PEBS",
      ],
      rows,
      ["", "", "r", "r"],
    );
  },

  "candidate-mediated": (m) =>
    table(
      ["policy", "mediated cells violated (every profile)", "properties violated"],
      m.policies.map((p) => {
        const cs = m.cells.filter((c) => c.policy === p.id && isMediated(c.scenario) && c.verdict === "violated");
        return [code(p.id), cs.length, [...new Set(cs.map((c) => c.property))].join(", ")];
      }),
      ["", "r"],
    ),

  // The model against the 2026 series' published figures (Emerald Rapids, v6.16, fastpath exit).
  "costs-published": (m) => {
    const rows = [
      ["no host PEBS", "no-host-pebs", "~1120 -> ~860 cycles"],
      ["host PEBS, vCPU without PEBS", "host-pebs-v616", '~1450 -> ~900 cycles; "saves 7 MSR writes"'],
      ["vCPU with guest PEBS", "guest-pebs", '"saves 3 MSR writes"'],
    ];
    const c = (p, s) => m.costs.find((x) => x.policy === p && x.profile === "emerald-rapids" && x.scenario === s);
    return table(
      ["case", "scenario", "published", "model cycles (original -> isolation-aware)", "MSR writes saved"],
      rows.map(([label, s, pub]) => {
        const a = c("original", s);
        const b = c("isolation-aware", s);
        return [
          label,
          code(s),
          pub,
          a && b ? `${a.cyclesPerRoundtrip} -> ${b.cyclesPerRoundtrip}` : "-",
          a && b ? a.msrWritesPerRoundtrip - b.msrWritesPerRoundtrip : "-",
        ];
      }),
    );
  },

  // One round trip of `original` on Emerald Rapids, per switch path.
  "costs-today": (m) => {
    const rows = [
      ["v6.16 MSR-list path, host PEBS, fastpath exit", "host-pebs-v616"],
      ["v7.3 MSR-list path, host PEBS, fastpath exit", "host-pebs-v616@v7.3"],
      ["v7.3 MSR-list path, no host PEBS", "no-host-pebs@v7.3"],
      ["mediated vPMU, fastpath re-entry (inside the loop)", "mediated-fastpath"],
    ];
    return table(
      ["Emerald Rapids, `original`, one round trip", "scenario", "cycles", "MSR writes", "which"],
      rows.map(([label, s]) => {
        const c = m.costs.find((x) => x.policy === "original" && x.profile === "emerald-rapids" && x.scenario === s);
        const which = c
          ? Object.entries(c.byMsr)
              .map(([k, n]) => `${k} ${n}`)
              .join(", ")
          : "";
        return [label, code(s), c?.cyclesPerRoundtrip ?? "-", c?.msrWritesPerRoundtrip ?? "-", which];
      }),
      ["", "", "r", "r"],
    );
  },
};
const NEEDS_MATRIX = new Set([
  "candidate-summary",
  "candidate-kernels",
  "candidate-mediated",
  "costs-published",
  "costs-today",
]);

// ---- Rewriting --------------------------------------------------------------------------------

const files = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const BLOCK = /<!-- generated:([\w-]+) -->\n([\s\S]*?)<!-- \/generated:\1 -->/g;
const stale = [];
const skipped = [];
const unknown = [];
let blocks = 0;
for (const f of files) {
  const path = join(root, f);
  const text = readFileSync(path, "utf8");
  const parts = [];
  let last = 0;
  for (const mt of text.matchAll(BLOCK)) {
    const [whole, name, body] = mt;
    parts.push(text.slice(last, mt.index));
    last = mt.index + whole.length;
    blocks++;
    const gen = BLOCKS[name];
    if (!gen) {
      unknown.push(`${f}: ${name}`);
      parts.push(whole);
      continue;
    }
    if (NEEDS_MATRIX.has(name) && !matrix) {
      skipped.push(`${f}: ${name}`);
      parts.push(whole);
      continue;
    }
    const fresh = `${await gen(matrix)}\n`;
    if (fresh !== body) stale.push(`${f}: ${name}`);
    parts.push(`<!-- generated:${name} -->\n${fresh}<!-- /generated:${name} -->`);
  }
  parts.push(text.slice(last));
  if (!check && stale.some((s) => s.startsWith(`${f}:`))) writeFileSync(path, parts.join(""));
}

for (const u of unknown) console.error(`docs: unknown block ${u} (known: ${Object.keys(BLOCKS).join(", ")})`);
if (check) {
  for (const s of skipped) console.error(`docs: ${s} needs the matrix (--matrix <path>)`);
  for (const s of stale) console.error(`docs: out of date: ${s}`);
  const bad = stale.length + skipped.length + unknown.length;
  console.error(
    bad
      ? `docs: ${bad} of ${blocks} blocks fail; run node scripts/docs.mjs --matrix <path>`
      : `docs: ${blocks} blocks up to date`,
  );
  process.exit(bad ? 1 : 0);
}
for (const s of skipped) console.error(`docs: skipped ${s} (needs --matrix <path>)`);
console.error(`docs: ${stale.length} of ${blocks} blocks rewritten`);
process.exit(unknown.length ? 1 : 0);
