import { describe, expect, it } from "vitest";
import { DEFAULT_BOUNDS } from "../bounds.js";
import { consistent, someCommit, twoPhase } from "../examples/two-phase.js";
import { explore } from "../search.js";
import { BREADTH_FIRST } from "../strategies/bfs.js";

describe("TwoPhase commit (TLA+ Examples' TwoPhase.tla)", () => {
  for (const [rms, states] of [
    [3, 288],
    [5, 8_832],
    [7, 296_448],
  ] as const) {
    // Small counts here (Stateright pins 288 and 8,832 in its tests); 8 and 9 resource managers
    // run in `pnpm bench`.
    it(`${rms} resource managers: ${states.toLocaleString("en-US")} distinct states, TCConsistent holds`, () => {
      const r = explore(twoPhase(rms), [consistent, someCommit], DEFAULT_BOUNDS, BREADTH_FIRST);
      expect(r.complete).toBe(true);
      expect(r.states).toBe(states);
      expect(r.properties.map((p) => p.verdict)).toEqual(["holds", "holds"]);
      expect(r.storage.mode).toBe("exact-key");
    });
  }
});
