import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';
import { loadProtos } from '@shoal/common/rpc';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const OPTIONS = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

/** The definition proto-loader makes from the .proto text, as processes loaded it before. */
function fromProtoText() {
  const files = ['control.proto', 'dispatcher.proto', 'swarm.proto', 'ca.proto', 'raft.proto'];
  return protoLoader.loadSync(files, { ...OPTIONS, includeDirs: [join(root, 'proto')] });
}

type Method = { path: string; requestSerialize(v: unknown): Buffer; responseSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown };
const methodsOf = (service: unknown) => service as Record<string, Method>;
function method(service: unknown, name: string): Method {
  const found = methodsOf(service)[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
}

describe('the generated proto descriptor', () => {
  it('matches proto/*.proto (npm run gen regenerates it)', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/gen-proto-descriptor.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('gives every service the methods, paths and wire bytes that the .proto text gives', () => {
    const text = fromProtoText();
    const protos = loadProtos() as unknown as Record<string, { service?: unknown }>;
    const services = Object.keys(text).filter((name) => name.startsWith('shoal.v1.') && !('format' in (text[name] ?? {})));
    expect(services.length).toBeGreaterThan(4);
    for (const name of services) {
      const want = text[name] ?? {};
      const have = protos[name.slice('shoal.v1.'.length)]?.service;
      expect(Object.keys(methodsOf(have)).sort(), name).toEqual(Object.keys(methodsOf(want)).sort());
      for (const name of Object.keys(want)) expect(method(have, name).path).toBe(method(want, name).path);
    }
  });

  it('encodes and decodes messages as the .proto text does (camelCase fields, maps, 64-bit numbers as strings)', () => {
    const want = fromProtoText()['shoal.v1.Control'];
    const have = loadProtos().Control.service;
    const list = { filters: { name: 'web' }, paged: true, pageToken: 'svc-9' };
    expect(method(have, 'ListServices').requestSerialize(list)).toEqual(method(want, 'ListServices').requestSerialize(list));
    const update = { ref: 'web', version: '18446744073709551615', specJson: '{}', rollback: '' };
    expect(method(have, 'UpdateService').requestSerialize(update)).toEqual(method(want, 'UpdateService').requestSerialize(update));
    const reply = method(want, 'ListServices').responseSerialize({ objectsJson: ['{"id":"a"}', '{}'], nextPageToken: 'b', warning: 'stale' });
    expect(method(have, 'ListServices').responseDeserialize(reply)).toEqual(method(want, 'ListServices').responseDeserialize(reply));
    // Fields left at their defaults are not on the wire: decoded, they are there all the same.
    const empty = Buffer.alloc(0);
    expect(method(have, 'ListServices').responseDeserialize(empty)).toStrictEqual({ objectsJson: [], warning: '', nextPageToken: '' });
    expect(method(have, 'ListServices').responseDeserialize(empty)).toStrictEqual(method(want, 'ListServices').responseDeserialize(empty));
  });

  it('agrees with the .proto text on nested messages, optional fields, maps and 64-bit integers', () => {
    const want = fromProtoText()['shoal.v1.Dispatcher'];
    const have = loadProtos().Dispatcher.service;
    const status = (exitCode?: number) => ({ state: 'failed', timestamp: '1', message: 'm', err: 'e', containerId: 'c', ...(exitCode === undefined ? {} : { exitCode }), containerIp: '' });
    const update = { nodeId: 'n', sessionId: 's', updates: [{ taskId: 't1', status: status(0) }, { taskId: 't2', status: status(137) }, { taskId: 't3', status: status() }] };
    const bytes = method(want, 'UpdateTaskStatus').requestSerialize(update);
    expect(method(have, 'UpdateTaskStatus').requestSerialize(update)).toEqual(bytes);
    expect(method(have, 'UpdateTaskStatus').responseDeserialize(method(want, 'UpdateTaskStatus').responseSerialize({}))).toEqual({});
    const decode = (m: Method) => (m as unknown as { requestDeserialize(b: Buffer): unknown }).requestDeserialize(bytes);
    expect(decode(method(have, 'UpdateTaskStatus'))).toEqual(decode(method(want, 'UpdateTaskStatus')));
    const session = { nodeId: 'n', addr: '10.0.0.1:4242', description: { hostname: 'h', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: '9007199254740993', memoryBytes: '-1' }, engineVersion: '28', engineLabels: { a: 'b' } } };
    const sessionBytes = method(want, 'Session').requestSerialize(session);
    expect(method(have, 'Session').requestSerialize(session)).toEqual(sessionBytes);
    const decodeSession = (m: Method) => (m as unknown as { requestDeserialize(b: Buffer): unknown }).requestDeserialize(sessionBytes);
    expect(decodeSession(method(have, 'Session'))).toEqual(decodeSession(method(want, 'Session')));
    expect(method(have, 'Session')).toMatchObject({ requestStream: false, responseStream: true, originalName: 'session' });
  });
});
