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
