import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fromJsonForm, type MatrixResult } from "@switchlab/conformance";

/**
 * The matrix artifact: the default matrix, computed once per CI run by `pnpm test:matrix`
 * (scripts/test-matrix.mjs, through the CLI and its worker pool) and read by every whole-matrix
 * test here. These tests never explore the matrix themselves.
 */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
export const ARTIFACT = process.env.SWITCHLAB_MATRIX_ARTIFACT ?? `${REPO}artifacts/matrix.json`;
/** The same matrix computed a second time with one worker (determinism, --jobs independence). */
export const ARTIFACT_AGAIN = process.env.SWITCHLAB_MATRIX_ARTIFACT_AGAIN ?? `${REPO}artifacts/matrix.jobs1.json`;
/** The same matrix with compressed chains (`--chains`): the reductions' test compares answers. */
export const ARTIFACT_CHAINS = process.env.SWITCHLAB_MATRIX_ARTIFACT_CHAINS ?? `${REPO}artifacts/matrix.chains.json`;
/** The same matrix with every dead value kept (`--keep-dead-values`): the reductions' test compares answers. */
export const ARTIFACT_KEEP_DEAD =
  process.env.SWITCHLAB_MATRIX_ARTIFACT_KEEP_DEAD ?? `${REPO}artifacts/matrix.keep-dead.json`;

let cached: { text: string; m: MatrixResult } | undefined;

/** The artifact's text and its matrix; a missing artifact says how to make it. */
export function artifact(): { text: string; m: MatrixResult } {
  if (cached) return cached;
  if (!existsSync(ARTIFACT))
    throw new Error(`no matrix artifact at ${ARTIFACT}: run the matrix tier with 'pnpm test:matrix'`);
  const text = readFileSync(ARTIFACT, "utf8");
  cached = { text, m: fromJsonForm(JSON.parse(text)) };
  return cached;
}
