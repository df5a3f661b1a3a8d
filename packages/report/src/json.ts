import type { MatrixResult } from "@switchlab/conformance";

/** The JSON contract (architecture.md): one object, stable key order. */
export function renderJson(m: MatrixResult): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
