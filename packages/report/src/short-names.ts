import { shortName } from "@switchlab/conformance";

/** A property's column header in fixed-width tables: its record's `short` (conformance). */
export { shortName };

/** The mark a verdict gets in a table cell. */
export function mark(verdict: string): string {
  return (
    { holds: "ok", violated: "FAIL", unknown: "UNK", vacuous: "VAC", "not-applicable": "n/a", error: "ERR" }[verdict] ??
    verdict
  );
}

/** The one-character mark of a verdict in compact tables (e-mail, Markdown). */
export const MARK_CHAR: Readonly<Record<string, string>> = {
  holds: ".",
  violated: "X",
  unknown: "?",
  vacuous: "v",
  "not-applicable": "-",
  error: "E",
};
