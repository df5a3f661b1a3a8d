import { z } from "zod";
import { assumptionsZod } from "./assumptions/index.js";

export const REPLAY_SCHEMA = "switchlab.replay/1";

/**
 * A replay file: a profile, a scenario, a policy and the choices taken, by name. `expect`
 * optionally lists the symptom ids the run must end with (checked by `switchlab replay`).
 */
export const replayFileSchema = z
  .object({
    schema: z.literal(REPLAY_SCHEMA),
    title: z.string().optional(),
    policy: z.string().min(1),
    profile: z.string().min(1),
    scenario: z.string().min(1),
    /** The assumptions the choices were taken under (absent: the scenario's defaults), as assumptions/ declares them. */
    assumptions: assumptionsZod().optional(),
    choices: z.array(z.string().min(1)),
    expect: z
      .object({
        symptoms: z.array(
          z.enum([
            "guest-pf-on-host-ds",
            "unknown-nmi",
            "stale-pebs-enable",
            "msr-unswitched",
            "vm-killed",
            "stale-perf-msr",
          ]),
        ),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ReplayFile = z.infer<typeof replayFileSchema>;

/** A replay file that is not valid JSON or not of the schema; the message gives the JSON path. */
export class ReplayFileError extends Error {}

function jsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
}

/** Parse a replay file's text; errors name the file and the JSON path of the problem. */
export function parseReplayFile(text: string, source: string): ReplayFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReplayFileError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const r = replayFileSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ReplayFileError(`${source}: at ${jsonPath(i?.path ?? [])}: ${i?.message ?? "invalid"}`);
  }
  return r.data;
}
