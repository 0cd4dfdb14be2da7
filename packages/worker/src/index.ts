export type { Controller, ContainerStatus, ExitStatus } from './executor/controller.js';
export type { Executor, ManagedContainer } from './executor/executor.js';
export { containerName, containerLabels, createContainerBody, LABEL_MANAGED } from './executor/docker/container-config.js';
export { DockerExecutor, DEFAULT_DOCKER_HOST, dockerOptionsFromHost } from './executor/docker/io/docker-executor.js';
export { DockerController } from './executor/docker/io/docker-controller.js';
export { FakeRuntime, FakeContainer, FAIL_EXIT_CODE, failsByRule, type FakeRuntimeOptions, type FailRule } from './executor/fake/fake-runtime.js';
export { doTask } from './task-manager/do-task.js';
export { TaskManager, type TaskManagerOptions } from './task-manager/task-manager.js';
export { Worker, type WorkerOptions } from './task-manager/worker.js';
export { silentLog, type Timers, type WorkerLog } from './task-manager/timers.js';
export { realTimers } from './io/timers.js';
export type { IngressPort } from './ingress/ingress-table.js';
export { ingressRules, shoalChains, serviceChain, probability, BUILTIN_JUMPS, INGRESS_MARK } from './ingress/ingress-rules.js';
export { IptablesIngress } from './ingress/io/iptables-ingress.js';
export { HostPortScanner } from './ingress/io/host-port-scanner.js';
export { parseProcNet, hostPorts, socketInode, type ListeningSocket, type SocketOwner } from './ingress/host-listeners.js';
export { Agent, type AgentOptions, type AgentLog, type IngressProgrammer } from './agent/io/agent.js';
export { EncryptedOverlayRelay, type RelayOptions, type RelayStats } from './network/encryption/io/relay.js';
export { removeCryptRules } from './network/encryption/io/crypt-rules-io.js';
export {
  overlayHooks,
  encryptionRefusal,
  isEncryptedNetwork,
  planRelay,
  ENCRYPTED_VXLAN_PORT,
  PEER_PORT_BASE,
  RELAY_PORT,
  type OverlayHooks,
  type UnderlayPeer,
} from './network/encryption/relay-plan.js';
export { refusingUnencryptable } from './network/encryption/refusing-executor.js';
export { NetworkFeed, parseNetworkTable, type NetworkConsumer } from './agent/network-feed.js';
