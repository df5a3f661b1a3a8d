import { describe, expect, it } from "vitest";
import type { Io } from "../io.js";
import { main } from "../main.js";

function capture(): Io & { o: string; e: string } {
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

describe("switchlab command line", () => {
  it("prints help with every command", async () => {
    const io = capture();
    expect(await main(["help"], io)).toBe(0);
    for (const c of ["matrix", "check", "replay", "diff", "list", "new-policy", "show-policy"])
      expect(io.o).toContain(c);
  });

  it("refuses an unknown command in one line listing the valid ones, exit 2", async () => {
    const io = capture();
    expect(await main(["matrx"], io)).toBe(2);
    expect(io.e.trim().split("\n")).toHaveLength(1);
    expect(io.e).toContain("unknown command 'matrx'; valid commands: matrix");
  });
});
