import { defineConfig } from "vitest/config";

export default defineConfig({
  // Two test files at once on the machines this runs on (2 cores): vitest's default leaves one
  // core to itself, and the CLI tests spend much of their time waiting for their own workers.
  test: { projects: ["packages/*", "policies/*"], maxWorkers: 2 },
});
