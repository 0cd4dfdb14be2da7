import type { Executor } from '../../executor/executor.js';
import { encryptionRefusal, isEncryptedNetwork } from './relay-plan.js';

/**
 * Wraps the node's executor so that a task on an encrypted network is refused at prepare (the
 * task manager turns a prepare failure into REJECTED with this message) whenever this node cannot
 * encrypt: "network X is encrypted and this node cannot encrypt: <why>". It never runs in clear.
 * `cannotEncrypt` is the relay's (`EncryptedOverlayRelay.ensureStarted`), asked at the prepare of
 * each task that has an encrypted network (so the relay starts with the first such task).
 */
export function refusingUnencryptable(inner: Executor, cannotEncrypt: () => Promise<string | null>): Executor {
  return {
    describe: () => inner.describe(),
    listManagedContainers: () => inner.listManagedContainers(),
    removeContainer: (id, grace) => inner.removeContainer(id, grace),
    pruneNetworks: (keep) => inner.pruneNetworks(keep),
    ...(inner.engineSlots === undefined ? {} : { engineSlots: inner.engineSlots }),
    controllerFor(task) {
      const ctl = inner.controllerFor(task);
      const prepare = async () => {
        const networks = task.networks ?? [];
        const refusal = networks.some(isEncryptedNetwork) ? encryptionRefusal(networks, await cannotEncrypt()) : null;
        if (refusal !== null) throw new Error(refusal);
        await ctl.prepare();
      };
      return new Proxy(ctl, {
        get(target, prop) {
          if (prop === 'prepare') return prepare;
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
}
