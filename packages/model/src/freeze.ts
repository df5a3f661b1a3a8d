/**
 * Freeze an object graph: what the model shares between cells (scenarios, their events and
 * vCPU data, profiles, cost tables) reaches policy code read-only, so a hook that writes to it
 * throws (a TypeError naming the field, turned into that row's `error`) instead of changing the
 * verdicts of every row explored after it. Typed arrays (a state's words) are left alone.
 */
export function deepFreeze<T>(x: T): T {
  if (x === null || typeof x !== "object" || Object.isFrozen(x) || ArrayBuffer.isView(x)) return x;
  for (const v of Object.values(x as Record<string, unknown>)) deepFreeze(v);
  return Object.freeze(x);
}
