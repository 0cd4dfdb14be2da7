/**
 * Freezes an object graph so readers cannot change what the store holds. Parts that are already
 * frozen are assumed to be deeply frozen and are skipped.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/** A frozen deep copy of plain data (what a caller hands to a write transaction). */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}
