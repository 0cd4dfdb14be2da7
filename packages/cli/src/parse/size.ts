const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A memory size as Docker reads it ("512m", "1g", "1.5GiB", "1024"), in bytes, units binary. */
export function parseMemory(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(text);
  if (!m || (m[2] === '' && m[3] && m[3].toLowerCase() !== 'b')) throw new Error(`invalid size "${text}": use e.g. 512m or 1g`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
}

/** A number of CPUs ("0.5", "2") as nano CPUs. */
export function parseCpus(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`invalid CPU count "${text}": use a number, e.g. 0.5`);
  return Math.round(n * 1e9);
}
