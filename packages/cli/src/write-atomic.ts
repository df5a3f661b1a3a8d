import { unlinkSync } from "node:fs";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Temporary files being written now: removed if the process is stopped (bin.ts). */
const inFlight = new Set<string>();

/** Write a file so that it is either the old one or the whole new one: a temporary file, then rename. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  inFlight.add(tmp);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}

/** Remove every temporary file still being written (a signal stops the CLI). */
export function removeTemporaryFiles(): void {
  for (const f of inFlight) {
    try {
      unlinkSync(f);
    } catch {
      // not created yet, or already renamed
    }
  }
  inFlight.clear();
}
