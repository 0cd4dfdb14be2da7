import { describe, expect, it } from 'vitest';
import { interpolateString } from '../../src/compose/index.js';
import { load } from './helpers.js';

function sub(text: string, env: Record<string, string | undefined>) {
  const ctx = { env, unset: new Set<string>() };
  return { value: interpolateString(text, 'f: k', ctx), unset: [...ctx.unset] };
}

describe('interpolation', () => {
  const env = { TAG: '1.2', EMPTY: '', HOST: 'db' };
  it('substitutes $VAR and ${VAR}', () => {
    expect(sub('nginx:$TAG', env).value).toBe('nginx:1.2');
    expect(sub('nginx:${TAG}-alpine', env).value).toBe('nginx:1.2-alpine');
    expect(sub('$HOST$TAG', env).value).toBe('db1.2');
  });
  it('applies defaults with and without the colon', () => {
    expect(sub('${MISSING:-x}', env).value).toBe('x');
    expect(sub('${EMPTY:-x}', env).value).toBe('x');
    expect(sub('${MISSING-x}', env).value).toBe('x');
    expect(sub('${EMPTY-x}', env).value).toBe('');
    expect(sub('${TAG:-x}', env).value).toBe('1.2');
    expect(sub('${MISSING:-${HOST}:5432}', env).value).toBe('db:5432');
  });
  it('applies alternatives', () => {
    expect(sub('${TAG:+set}', env).value).toBe('set');
    expect(sub('${EMPTY:+set}', env).value).toBe('');
    expect(sub('${EMPTY+set}', env).value).toBe('set');
  });
  it('errors on required variables with their message', () => {
    expect(() => sub('${MISSING:?set MISSING first}', env)).toThrow('f: k: required variable MISSING is missing a value: set MISSING first');
    expect(() => sub('${EMPTY:?no}', env)).toThrow('required variable EMPTY is missing a value: no');
    expect(sub('${EMPTY?no}', env).value).toBe('');
    expect(() => sub('${MISSING?gone}', env)).toThrow('required variable MISSING is missing a value: gone');
  });
  it('turns $$ into $', () => {
    expect(sub('echo $$HOME and $${TAG}', env).value).toBe('echo $HOME and ${TAG}');
  });
  it('reports unset variables and leaves them blank', () => {
    expect(sub('a${NOPE}b$NOPE2', env)).toEqual({ value: 'ab', unset: ['NOPE', 'NOPE2'] });
  });
  it('takes a default, message or alternative literally, as Docker does (bcrypt hashes)', () => {
    const hash = '$2y$05$Kz8mV1sBq2cRn0eZ1g5Gk.9XbHq3d2TlhYqA7yJc8JtG2qYxG5v7e';
    expect(sub(`\${AUTH:-admin:${hash}}`, env)).toEqual({ value: `admin:${hash}`, unset: [] });
    expect(sub('${AUTH-$5 or $$}', env).value).toBe('$5 or $$');
    expect(sub('${TAG:+$1.$2}', env).value).toBe('$1.$2');
    expect(() => sub('${MISSING:?costs $5}', env)).toThrow('required variable MISSING is missing a value: costs $5');
    expect(sub('${AUTH:-$HOST}', env).value).toBe('$HOST');
    expect(sub('${AUTH:-${HOST}:$1}', env).value).toBe('db:$1');
  });
  it('rejects bad syntax', () => {
    expect(() => sub('${TAG', env)).toThrow(/invalid interpolation format/);
    expect(() => sub('${1BAD}', env)).toThrow(/invalid interpolation format/);
    expect(() => sub('cost: $5', env)).toThrow(/invalid interpolation format/);
  });
});

describe('interpolation in a file', () => {
  it('works on values, warns once per unset variable and names the key on errors', () => {
    const { project, warnings } = load('services:\n  web:\n    image: "nginx:${TAG}"\n    command: ["$X", "$X", "${Y:-y}"]\n', {});
    expect(project.services.web!.image).toBe('nginx:');
    expect(project.services.web!.command).toEqual(['', '', 'y']);
    expect(warnings).toEqual([
      'The TAG variable is not set. Defaulting to a blank string.',
      'The X variable is not set. Defaulting to a blank string.',
    ]);
    expect(() => load('services:\n  web:\n    image: ${IMG:?no image}\n')).toThrow('compose.yml: services.web.image: required variable IMG is missing a value: no image');
  });
  it('casts interpolated numbers and booleans where the schema wants them', () => {
    const { project } = load('services:\n  web:\n    image: a\n    init: ${INIT:-true}\n    deploy:\n      replicas: ${N:-3}\n    ports:\n      - target: 80\n        published: ${PORT}\n', { PORT: '8080' });
    const svc = project.services.web!;
    expect(svc.deploy!.replicas).toBe(3);
    expect(svc.init).toBe(true);
    expect(svc.ports).toEqual([{ target: 80, published: 8080 }]);
  });
  it('still validates what interpolation produced', () => {
    expect(() => load('services:\n  web:\n    image: a\n    deploy:\n      replicas: ${N:-many}\n')).toThrow('compose.yml: services.web.deploy.replicas: must be an integer');
  });
});
