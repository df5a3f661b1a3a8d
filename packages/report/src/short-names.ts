/** Column headers for the properties in fixed-width tables (the legend maps them back). */
export const SHORT: Readonly<Record<string, string>> = {
  "no-guest-pf-on-host-ds": "guest-pf",
  "no-unknown-nmi": "unk-nmi",
  "no-late-second-nmi": "late-nmi",
  "host-pebs-enable-fresh": "fresh",
  "host-perf-msrs-fresh": "msrs",
  "stale-bit-bounded": "stale",
  "no-pebs-with-int": "pebs+int",
  "no-host-pebs-in-guest": "in-guest",
  "switch-lists-fit": "lists",
  "vm-not-killed": "vm-dead",
  "mediated-host-quiet-in-guest": "m-host",
  "mediated-guest-counts-only-guest": "m-guest",
  "mediated-guest-state-restored": "m-state",
  "mediated-guest-pmi-to-guest": "m-gpmi",
  "mediated-host-pmi-to-host": "m-hpmi",
  "mediated-pmu-returned-clean": "m-clean",
};

export function shortName(property: string): string {
  return SHORT[property] ?? property;
}

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
