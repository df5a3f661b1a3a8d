import { int32s, uint16s } from "./typed-arrays.js";

/**
 * The search tree, compactly: for each discovered node its parent node and the index of the
 * action taken from the parent (0xffff for a root). A path is rebuilt by walking parents; the
 * choice names come from replaying the indices (Stateright's path.rs does the same).
 */
export class NodeStore {
  private parent = int32s(1 << 12);
  private action = uint16s(1 << 12);
  private depthArr = uint16s(1 << 12);
  size = 0;

  push(parent: number, action: number, depth: number): number {
    if (this.size === this.parent.length) this.grow();
    const id = this.size++;
    this.parent[id] = parent;
    this.action[id] = action;
    this.depthArr[id] = Math.min(depth, 0xffff);
    return id;
  }

  depth(id: number): number {
    return this.depthArr[id] as number;
  }

  /**
   * Action indices from the root to the node, and the root's index among the initial states. A
   * node more than one step below its parent was reached through a compressed chain (search.ts,
   * `chains`): the action, then as many steps of the one choice (index 0) as the depths differ by
   * less one.
   */
  path(id: number): { root: number; actions: number[] } {
    const actions: number[] = [];
    let cur = id;
    while (this.parent[cur] !== -1) {
      const up = this.parent[cur] as number;
      for (let g = (this.depthArr[cur] as number) - (this.depthArr[up] as number) - 1; g > 0; g--) actions.push(0);
      actions.push(this.action[cur] as number);
      cur = up;
    }
    return { root: this.action[cur] as number, actions: actions.reverse() };
  }

  bytes(): number {
    return this.parent.byteLength + this.action.byteLength + this.depthArr.byteLength;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    const p = int32s(n);
    p.set(this.parent);
    const a = uint16s(n);
    a.set(this.action);
    const d = uint16s(n);
    d.set(this.depthArr);
    this.parent = p;
    this.action = a;
    this.depthArr = d;
  }
}
