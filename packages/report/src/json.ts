import { type MatrixResult, matrixJsonText } from "@switchlab/conformance";

/**
 * The JSON contract (architecture.md; conformance/schema/matrix.schema.json): one object, stable
 * key order, each counterexample once (conformance's json-form.ts).
 */
export function renderJson(m: MatrixResult): string {
  return matrixJsonText(m);
}
