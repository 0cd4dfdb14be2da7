/**
 * The one line the CLI prints for a failure: `Error: <message>`. Messages from the daemon are
 * already worded for users; gRPC's connection diagnostics are cut down to their cause.
 */
export function errorLine(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  message = message
    .replace(/\s*Resolution note:.*$/s, '')
    .replace(/No connection established\. Last error: (Error: )?/, '')
    .replace(/\.$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `Error: ${message || 'unknown error'}`;
}
