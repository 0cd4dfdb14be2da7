import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_REPLICAS, seededRng, type ServiceSpec } from '@shoal/common';
import { bootstrapCluster } from '../../src/bootstrap.js';
import { updateCluster } from '../../src/control/cluster-settings.js';
import { listPage, wholeList, MAX_PAGE_BYTES } from '../../src/control/list-page.js';
import { createService, updateService } from '../../src/control/services.js';
import { checkSpecSize, MAX_SERVICE_SPEC_BYTES } from '../../src/control/validate-service-spec.js';
import { localStore, makeService } from '../scheduler/fixtures.js';

function spec(name: string, replicas: number): ServiceSpec {
  return { ...makeService(name, { replicas }).spec, annotations: { name, labels: {} } };
}

async function cluster() {
  const { store } = localStore();
  await bootstrapCluster(store, { clusterId: 'c1', nodeId: 'n1', hostname: 'h1', addr: '10.0.0.1:4242' });
  return store;
}

describe('the cluster replica limit', () => {
  it('refuses a service with more replicas than the limit, in one line naming the flag', async () => {
    const store = await cluster();
    await expect(createService(store, seededRng(1), spec('huge', 1_000_000_000))).rejects.toThrow(
      `service huge: replicas 1000000000 exceeds the cluster limit of ${DEFAULT_MAX_REPLICAS} (shoal swarm update --max-replicas)`,
    );
    expect(store.view().list('services')).toEqual([]);
  });

  it('refuses scaling an existing service above the limit', async () => {
    const store = await cluster();
    const web = await createService(store, seededRng(1), spec('web', 2));
    await expect(updateService(store, web.id, 0, spec('web', DEFAULT_MAX_REPLICAS + 1))).rejects.toThrow('exceeds the cluster limit');
  });

  it('swarm update --max-replicas changes the limit that create checks', async () => {
    const store = await cluster();
    await updateCluster(store, { version: 0, maxReplicas: 3 });
    await expect(createService(store, seededRng(1), spec('four', 4))).rejects.toThrow('replicas 4 exceeds the cluster limit of 3');
    await createService(store, seededRng(2), spec('three', 3));
    expect(store.view().list('clusters')[0]!.spec.maxReplicas).toBe(3);
  });

  it('refuses a limit below an existing service instead of scaling it down', async () => {
    const store = await cluster();
    await createService(store, seededRng(1), spec('web', 5));
    await expect(updateCluster(store, { version: 0, maxReplicas: 4 })).rejects.toThrow('service web has 5 replicas, more than 4: scale it down first');
    await expect(updateCluster(store, { version: 0, maxReplicas: 2_000_000 })).rejects.toThrow('must be between 1 and 1000000');
  });

  it('refuses a spec larger than the limit before parsing it', () => {
    expect(() => checkSpecSize('x'.repeat(MAX_SERVICE_SPEC_BYTES))).not.toThrow();
    expect(() => checkSpecSize('é'.repeat(MAX_SERVICE_SPEC_BYTES / 2 + 1))).toThrow('the service spec is 512.0 KiB; the limit is 512 KiB');
    expect(() => checkSpecSize('x'.repeat(1024 * 1024))).toThrow('the service spec is 1 MiB; the limit is 512 KiB');
  });
});

describe('list pages', () => {
  const objects = Array.from({ length: 50 }, (_, i) => ({ id: `id${String(i).padStart(3, '0')}`, blob: 'x'.repeat(100 * 1024) }));

  it('pages a listing larger than one reply in ID order, each page under the bound', () => {
    const seen: string[] = [];
    let token = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = listPage([...objects].reverse(), token);
      expect(page.objectsJson.reduce((n, j) => n + j.length, 0)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      seen.push(...page.objectsJson.map((j) => (JSON.parse(j) as { id: string }).id));
      if (!page.nextPageToken) break;
      token = page.nextPageToken;
    }
    expect(seen).toEqual(objects.map((o) => o.id));
  });

  it('always makes progress: an object larger than a page comes alone', () => {
    const page = listPage(objects, '', 1024);
    expect(page.objectsJson).toHaveLength(1);
    expect(page.nextPageToken).toBe('id000');
  });

  it('a caller that does not page gets everything, or a clear error when it would not fit', () => {
    expect(wholeList(objects.slice(0, 5)).objectsJson).toHaveLength(5);
    expect(() => wholeList(objects)).toThrow(/the listing is 4\.9 MiB, more than one reply holds .*upgrade the CLI/);
  });
});
