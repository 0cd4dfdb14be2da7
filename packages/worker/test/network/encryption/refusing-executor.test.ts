import { manualClock, type TaskNetworkAttachment } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../../../src/executor/fake/fake-runtime.js';
import { refusingUnencryptable } from '../../../src/network/encryption/refusing-executor.js';
import { doTask } from '../../../src/task-manager/do-task.js';
import { makeTask } from '../../helpers/make-task.js';

function attachment(name: string, driverOpts: Record<string, string>): TaskNetworkAttachment {
  return {
    networkId: `${name}-id`,
    name,
    address: '10.0.1.7/24',
    aliases: [],
    allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 4097 },
    internal: false,
    attachable: false,
    driverOpts,
  };
}

function preparing(networks: TaskNetworkAttachment[]) {
  return { ...makeTask('t1', { state: 'preparing' }), networks };
}

describe('refusingUnencryptable', () => {
  const clock = manualClock(0);

  it('rejects a task on an encrypted network when the node cannot encrypt, with the reason', async () => {
    const executor = refusingUnencryptable(new FakeRuntime(), async () => 'ethtool is not installed');
    const task = preparing([attachment('plain', {}), attachment('app_secret', { encrypted: '' })]);
    const status = await doTask(task, executor.controllerFor(task), clock);
    expect(status.state).toBe('rejected');
    expect(status.err).toBe('network app_secret is encrypted and this node cannot encrypt: ethtool is not installed');
  });

  it('prepares it when the node can encrypt, and tasks without encrypted networks in any case', async () => {
    const can = refusingUnencryptable(new FakeRuntime(), async () => null);
    const secret = preparing([attachment('app_secret', { encrypted: '' })]);
    expect((await doTask(secret, can.controllerFor(secret), clock)).state).toBe('ready');
    const cannot = refusingUnencryptable(new FakeRuntime(), async () => 'no relay');
    const plain = preparing([attachment('plain', {})]);
    const ctl = cannot.controllerFor(plain);
    expect((await doTask(plain, ctl, clock)).state).toBe('ready');
    expect(ctl.containerId).toBeDefined();
  });
});
