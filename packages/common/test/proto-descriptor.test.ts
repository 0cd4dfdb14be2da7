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

describe('the generated proto descriptor', () => {
  it('matches proto/*.proto (npm run gen regenerates it)', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/gen-proto-descriptor.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('gives every service the methods, paths and wire bytes that the .proto text gives', () => {
    const text = fromProtoText();
    const protos = loadProtos() as unknown as Record<string, { service?: unknown }>;
    const services = Object.keys(text).filter((name) => 'format' in text[name] === false && name.startsWith('shoal.v1.'));
    expect(services.length).toBeGreaterThan(4);
    for (const name of services) {
      const want = methodsOf(text[name]);
      const have = methodsOf(protos[name.slice('shoal.v1.'.length)]?.service);
      expect(Object.keys(have).sort(), name).toEqual(Object.keys(want).sort());
      for (const method of Object.keys(want)) expect(have[method].path).toBe(want[method].path);
    }
  });

  it('encodes and decodes messages as the .proto text does (camelCase fields, maps, 64-bit numbers as strings)', () => {
    const want = methodsOf(fromProtoText()['shoal.v1.Control']);
    const have = methodsOf(loadProtos().Control.service);
    const list = { filters: { name: 'web' }, paged: true, pageToken: 'svc-9' };
    expect(have.ListServices.requestSerialize(list)).toEqual(want.ListServices.requestSerialize(list));
    const update = { ref: 'web', version: '18446744073709551615', specJson: '{}', rollback: '' };
    expect(have.UpdateService.requestSerialize(update)).toEqual(want.UpdateService.requestSerialize(update));
    const reply = want.ListServices.responseSerialize({ objectsJson: ['{"id":"a"}', '{}'], nextPageToken: 'b', warning: 'stale' });
    expect(have.ListServices.responseDeserialize(reply)).toEqual(want.ListServices.responseDeserialize(reply));
  });
});
