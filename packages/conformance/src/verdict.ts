/**
 * A cell's verdict. `holds`: the exploration was complete within the bounds and reached every
 * `sometimes` guard of its scenario, and no interleaving violated the property. `violated`: an
 * interleaving does (with its counterexample). `unknown`: not violated, but a bound stopped the
 * exploration (named in `message`). `vacuous`: not violated over a complete exploration that
 * never reached a guard (named), so the window the scenario is about was not explored. Only
 * `holds` is ever drawn as a pass.
 */
export type Verdict = "holds" | "violated" | "unknown" | "vacuous" | "not-applicable" | "error";
