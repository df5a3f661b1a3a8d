/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal (colour allowed). */
  isTTY?(): boolean;
  /** stderr is a terminal (a progress bar allowed). */
  errIsTTY?(): boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: () => process.stdout.isTTY === true,
  errIsTTY: () => process.stderr.isTTY === true,
};

/** A usage error: one line naming what was wrong and what to do; exit code 2. */
export class UsageError extends Error {}
