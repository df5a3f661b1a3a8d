import { hardenExports } from "./harden.js";
import "reflect-metadata";
import { parentPort, workerData } from "node:worker_threads";
import * as conformance from "@switchlab/conformance";
import * as explorer from "@switchlab/explorer";
import * as hardware from "@switchlab/hardware";
import * as kvm from "@switchlab/kvm";
import * as model from "@switchlab/model";
import * as perf from "@switchlab/perf";
import * as policyApi from "@switchlab/policy-api";
import { discoverPolicies } from "@switchlab/policy-api";
import type { DiscoveryReply, DiscoverySetup } from "./discover.js";

/**
 * Plugin discovery in a sandboxed worker (harden.ts first): it imports every plugin, says which
 * before each import, and posts each manifest (its data, never its functions) or problem. The
 * CLI's process never imports a plugin; discover.ts supervises this worker.
 */
hardenExports(conformance, explorer, hardware, kvm, model, perf, policyApi);
const setup = workerData as DiscoverySetup;
const post = (r: DiscoveryReply) => parentPort?.postMessage(r);
const { policies, problems } = await discoverPolicies(setup.root, {
  unbuilt: setup.unbuilt,
  skip: setup.skip,
  onImport: (folder) => post({ kind: "importing", folder }),
});
post({
  kind: "done",
  policies: policies.map((p) => JSON.parse(JSON.stringify({ ...p, register: undefined, patch: undefined }))),
  problems,
});
