import { definePolicy } from "@switchlab/policy-api";

/** The upstream run loop, unpatched (what the original policy plugin is), for tests that explore rows. */
export const UPSTREAM = definePolicy({
  id: "upstream",
  title: "upstream",
  summary: "no changes",
  upstream: { cite: "Linux v7.3", url: "https://kernel.org" },
  touches: [],
}) as never;
