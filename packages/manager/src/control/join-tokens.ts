import { failedPrecondition, invalidArgument, type JoinTokens } from '@shoal/common';
import type { Store } from '../store/types.js';

export type TokenMaker = (digest: string) => string;

/** The cluster's join tokens, after replacing one of them when asked (`swarm join-token --rotate`). */
export async function joinTokens(store: Store, rotate: string, makeToken: TokenMaker): Promise<JoinTokens> {
  if (rotate !== '' && rotate !== 'worker' && rotate !== 'manager') {
    throw invalidArgument(`unknown role ${rotate}: must be worker or manager`);
  }
  const cluster = store.view().list('clusters')[0];
  if (!cluster?.rootCA || !cluster.joinTokens) throw failedPrecondition('this swarm has no certificate authority yet');
  if (rotate === '') return cluster.joinTokens;
  const digest = cluster.rootCA.digest;
  await store.update((tx) => {
    const current = tx.get('clusters', cluster.id)!;
    tx.update('clusters', { ...current, joinTokens: { ...current.joinTokens!, [rotate]: makeToken(digest) } });
  });
  return store.view().get('clusters', cluster.id)!.joinTokens!;
}
