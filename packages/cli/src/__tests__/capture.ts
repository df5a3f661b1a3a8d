import type { Io } from "../io.js";

export function capture(): Io & { o: string; e: string; errIsTTY?: () => boolean } {
  const c = {
    o: "",
    e: "",
    out(t: string) {
      c.o += t;
    },
    err(t: string) {
      c.e += t;
    },
  };
  return c;
}

/** One row of the tests: --kernel own: the scenario at its own version only (one row; the default adds its v7.3 row). */
export const ROW = [
  "--policy",
  "original",
  "--profile",
  "skylake-server-no-isolation",
  "--kernel",
  "own",
  "--scenario",
  "throttle-window",
];
