import "reflect-metadata";
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.js";
import { capture } from "./capture.js";
import { REPO, scratch, touch, useScratchRoots } from "./scratch-root.js";

useScratchRoots();

describe("plugin discovery's cache (cache/discovery.ts)", () => {
  const listed = async (root: string): Promise<string> => {
    process.env.SWITCHLAB_ROOT = root;
    const io = capture();
    expect(await main(["list"], io), io.e).toBe(0);
    return io.o;
  };
  const stored = (root: string): string => {
    const dir = join(root, "node_modules", ".cache", "switchlab", "discovery");
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    expect(files).toHaveLength(1);
    return join(dir, files[0] as string);
  };
  /** Change the title the stored answer gives `original`: a run that shows it read the store. */
  const tamper = (root: string): void => {
    const f = stored(root);
    writeFileSync(f, readFileSync(f, "utf8").replace(/"title":"Upstream[^"]*"/, '"title":"from the store"'));
  };

  it("answers a command on unchanged plugins from the store, and discovers afresh when a plugin's code changes", async () => {
    const root = scratch();
    const first = await listed(root);
    expect(first).toContain("Upstream");
    tamper(root);
    expect(await listed(root)).toContain("from the store");
    process.env.SWITCHLAB_NO_CACHE = "1";
    expect(await listed(root)).toBe(first);
    delete process.env.SWITCHLAB_NO_CACHE;
    tamper(root);
    touch(root, "original");
    expect(await listed(root)).toBe(first);
  });

  it("never stores an answer that needed a second worker: a plugin that ends its worker is found again on every run", async () => {
    const root = scratch();
    symlinkSync(join(REPO, "fixtures", "broken-plugins", "exits-on-import"), join(root, "policies", "exits-on-import"));
    process.env.SWITCHLAB_ROOT = root;
    for (let i = 0; i < 2; i++) {
      const io = capture();
      expect(await main(["list"], io)).toBe(0);
      expect(io.e + io.o).toContain("exits-on-import");
    }
    expect(existsSync(join(root, "node_modules", ".cache", "switchlab", "discovery"))).toBe(false);
  });
});
