import { invalidArgument } from '@shoal/common';

/**
 * Splits a command string into words as a POSIX shell would, without expansions: whitespace
 * separates words, '…' is literal, "…" honours \" \\ \$ \`, and a backslash escapes the next
 * character outside quotes. `where` prefixes the error for an unterminated quote.
 */
export function shellWords(text: string, where: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw invalidArgument(`${where}: unterminated quote in "${text}"`);
  if (inWord) words.push(word);
  return words;
}
