import { readFile } from "node:fs/promises";
import { type CostTable, CostTableError, parseCostTable } from "@switchlab/conformance";
import { UsageError } from "./io.js";

/** `--costs file`: a cost table in the schema of the built-in one; any problem is a usage error naming the entry. */
export async function loadCostTable(path: string): Promise<CostTable> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new UsageError(`--costs ${path}: cannot read a JSON cost table (${(e as Error).message.split("\n")[0]})`);
  }
  try {
    return parseCostTable(data, `--costs ${path}`);
  } catch (e) {
    if (e instanceof CostTableError) throw new UsageError(e.message);
    throw e;
  }
}
