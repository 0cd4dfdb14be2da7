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

/**
 * A frozen deep copy of plain data (what a caller hands to a write transaction). Parts that are
 * already frozen are shared, not copied (frozen parts are deeply frozen, as for deepFreeze): an
 * update built by spreading a stored object copies only what the caller changed.
 */
export function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(copy) as T;
}
