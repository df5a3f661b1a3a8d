import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";

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
