import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every package declares what its sources import, and nothing else: a package that works only
 * because another one pulled its dependency in (as dockerode once brought @grpc/proto-loader 0.7
 * to everyone) breaks when that other package changes, or loads a version nobody chose. Every
 * declared dependency also resolves, from the package, to a version in its declared range.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name));
const BUILTINS = new Set(builtinModules);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const declared = (m: Manifest) => new Set(Object.keys({ ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies }));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`), or undefined for a path or a built-in. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return BUILTINS.has(name) ? undefined : name;
}

/** Packages imported (import, import type, export from, import(), require) by the sources of a package. */
function importedBy(dir: string): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(join(dir, 'src'))) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      const name = packageOf(ref.fileName);
      if (name && !used.has(name)) used.set(name, file.slice(ROOT.length));
    }
  }
  return used;
}

/** The version Node loads for `name` from `dir`: the first node_modules/name up the tree. */
function installedVersion(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'node_modules', name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(d) === d) return undefined;
  }
}

/** npm's `^x.y.z` (same major, or same minor below 1.0, and not older) or an exact version: the ranges we declare. */
export function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number);
  const exact = /^\d+\.\d+\.\d+$/.test(range);
  if (exact) return version === range;
  if (!/^\^\d+\.\d+\.\d+$/.test(range)) return false;
  const [want, have] = [parse(range.slice(1)), parse(version)];
  const fixed = want[0]! > 0 ? 1 : 2;
  for (let i = 0; i < fixed; i++) if (have[i] !== want[i]) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}

describe('declared dependencies', () => {
  it('checks versions against caret and exact ranges', () => {
    expect(satisfies('0.8.1', '^0.8.1')).toBe(true);
    expect(satisfies('0.7.15', '^0.8.1')).toBe(false);
    expect(satisfies('0.8.0', '^0.8.1')).toBe(false);
    expect(satisfies('1.14.9', '^1.14.7')).toBe(true);
    expect(satisfies('2.0.0', '^1.14.7')).toBe(false);
    expect(satisfies('4.23.15', '4.23.15')).toBe(true);
    expect(satisfies('1.0.0', '>=1')).toBe(false);
  });

  it('finds package names in specifiers', () => {
    expect(packageOf('@grpc/proto-loader/build/src')).toBe('@grpc/proto-loader');
    expect(packageOf('pino')).toBe('pino');
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('fs/promises')).toBeUndefined();
    expect(packageOf('./x.js')).toBeUndefined();
  });

  for (const dir of PACKAGES) {
    const m = manifest(dir);
    describe(m.name, () => {
      const used = importedBy(dir);
      const deps = declared(m);

      it('declares every package its sources import', () => {
        const undeclared = [...used].filter(([name]) => name !== m.name && !deps.has(name)).map(([name, file]) => `${name} (imported by ${file})`);
        expect(undeclared).toEqual([]);
      });

      it('declares no package its sources do not import', () => {
        expect([...deps].filter((name) => !used.has(name))).toEqual([]);
      });

      it('loads, for each dependency, a version in the declared range', () => {
        const wrong: string[] = [];
        for (const [name, range] of Object.entries(m.dependencies ?? {})) {
          if (name.startsWith('@shoal/')) continue;
          const version = installedVersion(dir, name);
          if (!version || !satisfies(version, range)) wrong.push(`${name}@${version ?? 'missing'} (declared ${range})`);
        }
        expect(wrong).toEqual([]);
      });
    });
  }
});
