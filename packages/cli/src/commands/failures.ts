/** Runs `fn` for every item, carrying on past failures; then fails once, with every message on one line. */
export async function forEachReportingErrors<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const errors: string[] = [];
  for (const item of items) {
    try {
      await fn(item);
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (errors.length > 0) throw new Error(errors.join('; '));
}
