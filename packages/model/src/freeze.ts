/**
 * Freeze an object graph: what the model shares between cells (scenarios, their events and
 * vCPU data, profiles, cost tables) reaches policy code read-only, so a hook that writes to it
 * throws (a TypeError naming the field, turned into that row's `error`) instead of changing the
 * verdicts of every row explored after it. Typed arrays (a state's words) are left alone. It
 * follows data properties only and never calls a getter: a getter can be how a cell reads a
 * profile field only when a row uses it (cell.ts).
 */
export function deepFreeze<T>(x: T): T {
  if (x === null || typeof x !== "object" || Object.isFrozen(x) || ArrayBuffer.isView(x)) return x;
  for (const d of Object.values(Object.getOwnPropertyDescriptors(x))) if ("value" in d) deepFreeze(d.value);
  return Object.freeze(x);
}
