import { readFile } from "node:fs/promises";
import {
  fromJsonForm,
  MatrixJsonError,
  type MatrixResult,
  MergeError,
  matrixSchemaError,
  mergeShards,
} from "@switchlab/conformance";
import { type Io, UsageError } from "../io.js";
import { checkOut, oneOf, type Values } from "../options.js";
import { writeAtomic } from "../write-atomic.js";
import { FORMATS, render } from "./matrix.js";

/**
 * `switchlab merge a.json b.json ...`: join the JSON of `matrix --shard i/n` runs into the
 * matrix one run would give (JSON by default, byte-identical to it; any matrix format).
 */
export async function mergeCommand(values: Values, positionals: string[], io: Io): Promise<number> {
  const format = oneOf("format", (values.format as string | undefined) ?? "json", FORMATS);
  checkOut(values.out as string | undefined);
  const parts: { name: string; m: MatrixResult }[] = [];
  for (const name of positionals) {
    let text: string;
    try {
      text = await readFile(name, "utf8");
    } catch {
      throw new UsageError(`cannot read ${name}; give the JSON files of 'switchlab matrix --shard i/n --format json'`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${name} is not JSON (${(e as Error).message.split("\n")[0]})`);
    }
    const invalid =
      (data as { schema?: unknown } | null)?.schema === "switchlab.matrix/3" ? matrixSchemaError(data) : undefined;
    if (invalid) throw new UsageError(`${name} does not follow the matrix JSON Schema at ${invalid}`);
    let m: MatrixResult;
    try {
      m = fromJsonForm(data);
    } catch (e) {
      if (e instanceof MatrixJsonError)
        throw new UsageError(
          `${name} is ${e.message}; give the JSON of this version's 'switchlab matrix --shard i/n --format json'`,
        );
      throw e;
    }
    parts.push({ name, m });
  }
  let m: MatrixResult;
  try {
    m = mergeShards(parts);
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(`merge: ${e.message}`);
    throw e;
  }
  const text = render(format, m, { full: values.full === true });
  if (values.out) await writeAtomic(values.out as string, text);
  else io.out(text);
  return 0;
}
