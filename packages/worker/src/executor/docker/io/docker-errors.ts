/** Helpers to read the errors dockerode raises (an HTTP status code plus the Engine's JSON body). */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The Engine's own message when there is one, else the error's message. */
export function dockerMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  return err instanceof Error ? err.message : String(err);
}

/** Runs `op` and swallows Docker errors whose status code is in `codes` (e.g. 404 for "already gone"). */
export async function ignoring(codes: number[], op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    const code = statusCodeOf(err);
    if (code === undefined || !codes.includes(code)) throw err;
  }
}
