import { invalidArgument } from '@shoal/common';

/** Swaps the bytes of each 16-bit unit so UTF-16 BE can be read with the LE decoder. */
function swap16(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

/**
 * The text of a compose file: UTF-8 with or without a byte order mark, or UTF-16 (LE or BE)
 * with one. Line endings are normalised to LF.
 */
export function decodeComposeText(file: string, content: Uint8Array): string {
  let text: string;
  try {
    if (content[0] === 0xff && content[1] === 0xfe) {
      text = new TextDecoder('utf-16le', { fatal: true }).decode(content.subarray(2));
    } else if (content[0] === 0xfe && content[1] === 0xff) {
      text = new TextDecoder('utf-16le', { fatal: true }).decode(swap16(content.subarray(2)));
    } else {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
    }
  } catch {
    throw invalidArgument(`${file}: the file is not valid UTF-8 or UTF-16 text`);
  }
  return text.replace(/\r\n?/g, '\n');
}
