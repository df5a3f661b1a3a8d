/**
 * The search tree, compactly: for each discovered node its parent node and the index of the
 * action taken from the parent (0xffff for a root). A path is rebuilt by walking parents; the
 * choice names come from replaying the indices (Stateright's path.rs does the same).
 */
export class NodeStore {
  private parent = new Int32Array(1 << 12);
  private action = new Uint16Array(1 << 12);
  private depthArr = new Uint16Array(1 << 12);
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

  /** Action indices from the root to the node, and the root's index among the initial states. */
  path(id: number): { root: number; actions: number[] } {
    const actions: number[] = [];
    let cur = id;
    while (this.parent[cur] !== -1) {
      actions.push(this.action[cur] as number);
      cur = this.parent[cur] as number;
    }
    return { root: this.action[cur] as number, actions: actions.reverse() };
  }

  bytes(): number {
    return this.parent.byteLength + this.action.byteLength + this.depthArr.byteLength;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    const p = new Int32Array(n);
    p.set(this.parent);
    const a = new Uint16Array(n);
    a.set(this.action);
    const d = new Uint16Array(n);
    d.set(this.depthArr);
    this.parent = p;
    this.action = a;
    this.depthArr = d;
  }
}
