import { LineSplitter } from '../health.js';

/**
 * Follows a Docker events stream: `onLine` gets each JSON line, `onEnd` is called once when the
 * stream ends, fails or closes — unless `isCurrent` says the stream was replaced meanwhile.
 */
export function followEventLines(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  onEnd: () => void,
  isCurrent: () => boolean,
): void {
  const lines = new LineSplitter();
  stream.on('data', (chunk: Buffer | string) => {
    for (const line of lines.push(chunk.toString())) onLine(line);
  });
  let ended = false;
  const end = (): void => {
    if (ended || !isCurrent()) return;
    ended = true;
    onEnd();
  };
  stream.on('end', end);
  stream.on('error', end);
  stream.on('close', end);
}
