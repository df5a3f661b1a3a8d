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
import { main } from "../main.js";
import type { CommandReply, CommandSetup } from "./command.js";

/**
 * A command that explores a plugin's code (check, replay, diff, show-policy, costs,
 * export-selftest), run whole in a sandboxed worker (harden.ts first): its output goes to the
 * CLI's process, which writes it and exits with the code posted here (command.ts).
 */
hardenExports(conformance, explorer, hardware, kvm, model, perf, policyApi);
const setup = workerData as CommandSetup;
const post = (r: CommandReply) => parentPort?.postMessage(r);
try {
  const code = await main(setup.argv, {
    out: (text) => post({ kind: "out", text }),
    err: (text) => post({ kind: "err", text }),
    isTTY: () => setup.isTTY,
    errIsTTY: () => setup.errIsTTY,
  });
  post({ kind: "exit", code });
} catch (e) {
  post({ kind: "crash", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
