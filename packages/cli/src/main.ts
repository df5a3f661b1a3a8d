import { isMainThread } from "node:worker_threads";
import { DIMENSIONS } from "@switchlab/conformance";
import { Command, CommanderError, Option } from "commander";
import { checkCommand } from "./commands/check.js";
import { costsCommand, EXIT_KINDS } from "./commands/costs.js";
import { diffCommand } from "./commands/diff.js";
import { exportSelftestCommand } from "./commands/export-selftest.js";
import { FRONTIER_FORMATS, frontierCommand } from "./commands/frontier.js";
import { listCommand } from "./commands/list.js";
import { FORMATS, matrixCommand } from "./commands/matrix.js";
import { mergeCommand } from "./commands/merge.js";
import { newPolicyCommand } from "./commands/new-policy.js";
import { replayCommand } from "./commands/replay.js";
import { showPolicyCommand } from "./commands/show-policy.js";
import { type Io, processIo, UsageError } from "./io.js";
import {
  assumptionOptions,
  boundOptions,
  DEFAULT_ROW_TIMEOUT_S,
  FAIL_KINDS,
  rowOptions,
  type Values,
} from "./options.js";
import { runCommandSandboxed } from "./sandbox/command.js";

/**
 * The switchlab command line, parsed by commander (well kept, no dependencies of its own): it
 * gives every command its --help, refuses unknown options and missing values, and replaces the
 * hand-written argument checks the commands had. Its errors are turned into switchlab's one line
 * (naming the option and listing the valid ones) with exit code 2; nothing a user types ends in
 * a stack trace.
 */
function program(io: Io, done: (code: number) => void, argv: readonly string[] = []): Command {
  const p = new Command("switchlab")
    .description(
      "Model-check the PMU MSR switch around VM-entry and VM-exit (perf's intel_guest_get_msrs, KVM's atomic_switch_perf_msrs) against candidate patches.",
    )
    .usage("<command> [options]")
    .helpCommand("help [command]", "help for a command")
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: () => {}, outputError: () => {} });

  const formats = (c: Command, list: readonly string[]) =>
    c.addOption(new Option("--format <format>", "output format").choices([...list]));
  const out = (c: Command) => c.option("--out <file>", "write to a file (whole, through a temporary file and rename)");
  const failOn = (c: Command) =>
    c.option(
      "--fail-on [kinds]",
      `exit 1 if a cell is one of these (comma list of ${FAIL_KINDS.join(", ")}; alone: all four)`,
    );
  const run = (f: (v: Values, args: string[], io: Io) => Promise<number>) =>
    async function (this: Command, ...a: unknown[]) {
      const args = a.slice(0, -2).flat() as string[];
      done(await f(this.opts() as Values, args, io));
    };
  /**
   * A command that runs plugin code in this process otherwise: in the CLI's process it runs whole
   * in a sandboxed worker (sandbox/command.ts); in that worker, here.
   */
  const sandboxed = (f: (v: Values, args: string[], io: Io) => Promise<number>) =>
    isMainThread
      ? async () => {
          done(await runCommandSandboxed(argv, io));
        }
      : run(f);

  const matrix = p
    .command("matrix")
    .description("every policy x profile x scenario x property, explored; a table, progress on stderr");
  rowOptions(matrix);
  assumptionOptions(matrix);
  boundOptions(matrix);
  formats(matrix, FORMATS);
  out(matrix);
  failOn(matrix);
  matrix
    .option("--quiet", "no progress on stderr")
    .option("--costs <file>", "another cost table (JSON, the schema of the built-in one)")
    .addOption(new Option("--sort <key>", "order each block's rows").choices(["cost"]))
    .option("--shard <i/n>", "run shard i of n (JSON for switchlab merge)")
    .option("--jobs <n>", "explorations in parallel, one worker thread each (default: the number of cores)")
    .option(
      "--row-timeout <s>",
      `end a row's worker after this many seconds (default ${DEFAULT_ROW_TIMEOUT_S}; 0: none)`,
    )
    .option("--full", "e-mail and Markdown: every counterexample, not one per (policy, property)")
    .option(
      "--check-determinism",
      "explore every row a second time, uncached, in reverse order, in fresh workers; a row that differs is an error",
    )
    .option("--details", "text and Markdown: every scenario's table (text: and every violation) after the answer")
    .option("--frontier", "also compute each policy's frontier (as switchlab frontier; cached for later runs)")
    .option(
      "--no-cache",
      "explore every row and discover the plugins afresh, reading nothing from the cache (results are still stored)",
    )
    .action(run(matrixCommand));

  const check = p.command("check").description("one row: every property's verdict and the counterexample traces");
  rowOptions(check);
  assumptionOptions(check);
  boundOptions(check);
  formats(check, FORMATS);
  out(check);
  failOn(check);
  check
    .option("--property <ids>", "only these properties")
    .option("--save <file>", "write the counterexample as a replay file")
    .action(sandboxed(checkCommand));

  const frontier = p
    .command("frontier")
    .description("for every row, each assumption widened alone: the smallest value at which a property breaks");
  rowOptions(frontier);
  assumptionOptions(frontier);
  boundOptions(frontier);
  formats(frontier, FRONTIER_FORMATS);
  out(frontier);
  frontier
    .option(
      "--dimension <ids>",
      `only these assumptions (comma list: ${DIMENSIONS.slice(0, 3)
        .map((d) => d.option.slice(2))
        .join(", ")}, ...)`,
    )
    .option("--ceiling <pairs>", "search up to these values (e.g. pmi-latency=16384,ticks=3)")
    .option("--property <ids>", "only the cells of these properties (the summary too)")
    .option("--quiet", "no progress on stderr")
    .option("--jobs <n>", "explorations in parallel, one worker thread each (default: the number of cores)")
    .option(
      "--row-timeout <s>",
      `end a row's worker after this many seconds (default ${DEFAULT_ROW_TIMEOUT_S}; 0: none)`,
    )
    .option(
      "--no-cache",
      "explore every row and discover the plugins afresh, reading nothing from the cache (results are still stored)",
    )
    .action(run(frontierCommand));

  p.command("replay")
    .description("re-execute a saved interleaving and print its trace")
    .argument("<file>", "a replay file (switchlab.replay/1), e.g. from check --save")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]))
    .action(sandboxed(replayCommand));

  p.command("export-selftest")
    .description("a counterexample as a KVM selftest (C): guest program, host perf events, oracle")
    .argument("<file>", "a replay file (check --save) or a matrix JSON (matrix --format json)")
    .option("--policy <id>", "matrix: the cell's policy")
    .option("--profile <id>", "matrix: the cell's profile")
    .option("--scenario <id>", "matrix: the cell's scenario row (e.g. lists-full@v7.3)")
    .option("--property <id>", "the violated property (matrix: the cell's; replay file: when its title does not say)")
    .option("--out <file>", "write to a file (whole, through a temporary file and rename)")
    .option(
      "--out-dir <dir>",
      "matrix: the shortest counterexample of each selected policy and property, one file each",
    )
    .action(sandboxed(exportSelftestCommand));

  const diff = p
    .command("diff")
    .description("where two policies disagree: the shortest interleaving, side by side")
    .argument("<policyA>")
    .argument("<policyB>")
    .option("--profile <ids>", "hardware profiles (comma list; default: all)")
    .option("--scenario <ids>", "scenarios (comma list; default: all); <id>@<kernel> names one version's row")
    .option("--kernel <versions>", "kernel versions every scenario runs at (as matrix; default: own,v7.3)");
  assumptionOptions(diff);
  boundOptions(diff);
  formats(diff, ["text", "json", "html"]);
  out(diff);
  diff.action(sandboxed(diffCommand));

  const merge = p
    .command("merge")
    .description("join the JSON of matrix --shard i/n runs into one matrix")
    .argument("<shard.json...>");
  formats(merge, FORMATS);
  out(merge)
    .option("--full", "e-mail and Markdown: every counterexample, not one per (policy, property)")
    .action(run(mergeCommand));

  const costs = p
    .command("costs")
    .description("MSR traffic and estimated cycles of one steady-state round trip per row (default policy: original)");
  rowOptions(costs);
  costs
    .addOption(
      new Option(
        "--exit <kind>",
        "which exit ends each round trip (default: the scenario's first, as the matrix)",
      ).choices([...EXIT_KINDS]),
    )
    .option("--costs <file>", "another cost table (JSON, the schema of the built-in one)")
    .action(sandboxed(costsCommand));

  p.command("list")
    .description("the ids of every policy, profile, scenario, property and guard")
    .action(run(listCommand));
  p.command("new-policy")
    .description("scaffold a policy plugin that builds, passes its test and joins the matrix")
    .argument("<id>")
    .option("--no-install", "do not run pnpm install to link it")
    .action(run(newPolicyCommand));
  p.command("show-policy")
    .description("what a policy changes against original (services, step sequences)")
    .argument("<id>")
    .action(sandboxed(showPolicyCommand));
  p.addHelpText(
    "after",
    `\nFormats: matrix and check ${FORMATS.join(", ")}; frontier ${FRONTIER_FORMATS.join(", ")}; diff text, json, html; replay text, json.\nswitchlab <command> --help shows a command's options.`,
  );
  return p;
}

/** Commander's message as switchlab's one line: what was wrong and what is allowed. */
function usageLine(e: CommanderError, p: Command, argv: readonly string[]): string {
  const cmd = p.commands.find((c) => c.name() === argv[0]);
  const valid = (c: Command) =>
    c.options
      .map((o) => o.long)
      .filter(Boolean)
      .join(", ");
  const m = e.message.replace(/^error: /, "");
  if (e.code === "commander.unknownCommand") {
    const name = /'([^']*)'/.exec(m)?.[1] ?? argv[0];
    return `unknown command '${name}'; valid commands: ${p.commands.map((c) => c.name()).join(", ")}, help`;
  }
  if (e.code === "commander.unknownOption" && cmd)
    return `${m} for ${cmd.name()}; valid options: ${[valid(cmd), "--help"].filter(Boolean).join(", ")}`;
  if (e.code === "commander.excessArguments" && cmd)
    return `${m.replace(/\.$/, "")}; see switchlab ${cmd.name()} --help`;
  if (e.code === "commander.invalidArgument") {
    const c = /option '--([a-z-]+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/.exec(m);
    if (c) return `unknown ${c[1]} '${c[2]}'; valid: ${c[3]}`;
    return m.replace(/\.$/, "");
  }
  return `${m.replace(/\.$/, "")}${cmd ? `; see switchlab ${cmd.name()} --help` : ""}`;
}

/** Run the switchlab command line; returns the process exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const p = program(
    io,
    (c) => {
      code = c;
    },
    argv,
  );
  if (argv.length === 0) {
    io.out(p.helpInformation());
    return 2;
  }
  // commander prints the program's help for `help <anything>`: a command it does not know is a mistake.
  if (argv[0] === "help" && argv[1] !== undefined && !p.commands.some((c) => c.name() === argv[1])) {
    io.err(
      `switchlab: help: unknown command '${argv[1]}'; valid commands: ${p.commands.map((c) => c.name()).join(", ")}\n`,
    );
    return 2;
  }
  try {
    await p.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version")
        return 0;
      io.err(`switchlab: ${usageLine(e, p, argv)}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`switchlab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
