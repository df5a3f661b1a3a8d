/** A value outside a field's declared range. */
export class StateRangeError extends Error {}

/** Throw the StateRangeError that names the field, the value and the declared range. */
export function rangeError(path: string, v: number, min: number, max: number): never {
  throw new StateRangeError(
    `state field ${path} = ${v} is outside its declared range ${min}..${max}; the rule that wrote it, or the declaration, is wrong`,
  );
}
