import "reflect-metadata";
import { type MatrixResult, runMatrix, SCENARIOS } from "@switchlab/conformance";
import { builtinProfiles } from "@switchlab/hardware";
import { definePolicy } from "@switchlab/policy-api";

/** A real (small) matrix: upstream on two profiles and two scenarios, explored for the test. */
export function smallMatrix(): MatrixResult {
  const upstream = definePolicy({
    id: "upstream",
    title: "upstream",
    summary: "no changes",
    upstream: { cite: "Linux v5.11", url: "https://kernel.org" },
    touches: [],
  });
  return runMatrix({
    policies: [upstream as never],
    profiles: builtinProfiles().filter((p) => p.id === "skylake-server-no-isolation" || p.id === "icelake-server"),
    scenarios: SCENARIOS.filter((s) => s.id === "throttle-window" || s.id === "handoff-guest-counter"),
  });
}
