import { readFile } from "node:fs/promises";
import { type HardwareProfile, ProfileError, parseHardwareProfile } from "@switchlab/hardware";
import { UsageError } from "./io.js";

/**
 * `--profile-file FILE`: more hardware profiles, as a JSON object or an array of them, in the
 * shape of the built-in ones (packages/hardware/src/profiles/). Each is validated whole; the
 * first problem is a usage error naming the field and what it allows, and nothing runs.
 */
export async function loadProfileFile(path: string): Promise<HardwareProfile[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new UsageError(`--profile-file ${path}: cannot read a JSON profile (${(e as Error).message.split("\n")[0]})`);
  }
  const items = Array.isArray(data) ? data : [data];
  try {
    return items.map((p, i) => parseHardwareProfile(p, `--profile-file ${path}${items.length > 1 ? ` [${i}]` : ""}`));
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
}
