import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020 } from "ajv/dist/2020.js";

/**
 * The matrix JSON checked against its published JSON Schema (schema/matrix.schema.json, draft
 * 2020-12) with ajv, the validator made for it: what `merge` reads must be a document this
 * version writes, so a hand-edited or truncated shard is refused before it is joined. ajv (a
 * CommonJS package) is loaded on the first check, not when conformance is imported: every worker
 * imports conformance, and only `merge` validates.
 */
let validate: ReturnType<Ajv2020["compile"]> | undefined;

/** Undefined when the document is valid; else its first error, as "<JSON path>: <what is wrong>". */
export function matrixSchemaError(doc: unknown): string | undefined {
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL("../../schema/matrix.schema.json", import.meta.url), "utf8"));
    const { Ajv2020: Ajv } = createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020 };
    validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
  }
  if (validate(doc)) return undefined;
  const e = validate.errors?.[0];
  return e ? `${e.instancePath || "/"}: ${e.message ?? "is not valid"}` : "is not valid";
}
