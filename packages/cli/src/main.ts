import { checkCommand } from "./commands/check.js";
import { diffCommand } from "./commands/diff.js";
import { listCommand } from "./commands/list.js";
import { matrixCommand } from "./commands/matrix.js";
import { mergeCommand } from "./commands/merge.js";
import { newPolicyCommand } from "./commands/new-policy.js";
import { replayCommand } from "./commands/replay.js";
import { showPolicyCommand } from "./commands/show-policy.js";
import { type Io, processIo, UsageError } from "./io.js";

/** A subcommand: its one-line help and its handler (returns the exit code). */
interface Command {
  readonly summary: string;
  run(args: string[], io: Io): Promise<number> | number;
}

const COMMANDS: Record<string, Command> = {
  matrix: {
    summary:
      "matrix [--policy ids] [--profile ids] [--scenario ids] [--format text|json] [--out file] [--fail-on violated]",
    run: matrixCommand,
  },
  check: {
    summary: "check --policy P --profile H --scenario S [--property X] [--save file]: one row with its traces",
    run: checkCommand,
  },
  merge: {
    summary: "merge <shard.json> ...: join the JSON of matrix --shard i/n runs into one matrix",
    run: mergeCommand,
  },
  replay: { summary: "replay <trace.json>: re-execute a saved interleaving and print its trace", run: replayCommand },
  diff: {
    summary: "diff <policyA> <policyB>: where they disagree, the shortest interleaving, side by side",
    run: diffCommand,
  },
  list: { summary: "list: the ids of every policy, profile, scenario, property and guard", run: listCommand },
  "new-policy": {
    summary:
      "new-policy <id> [--no-install]: scaffold a policy plugin that builds, passes its test and joins the matrix",
    run: newPolicyCommand,
  },
  "show-policy": {
    summary: "show-policy <id>: what a policy changes against original (services, step sequences)",
    run: showPolicyCommand,
  },
};

function help(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`);
  return `usage: switchlab <command> [options]\n\ncommands:\n${lines.join("\n")}\n  ${"help".padEnd(w)}  this text\n`;
}

/** Run the switchlab command line; returns the process exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd)
      throw new UsageError(`unknown command '${name}'; valid commands: ${Object.keys(COMMANDS).join(", ")}, help`);
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`switchlab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
