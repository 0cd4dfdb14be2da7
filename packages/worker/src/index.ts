export type { Controller, ContainerStatus, ExitStatus } from './executor/controller.js';
export type { Executor, ManagedContainer } from './executor/executor.js';
export { containerName, containerLabels, createContainerBody, LABEL_MANAGED } from './executor/docker/container-config.js';
export { DockerExecutor, DEFAULT_DOCKER_HOST, dockerOptionsFromHost, type DockerExecutorOptions } from './executor/docker/io/docker-executor.js';
export type { OverlayAttacher } from './executor/docker/overlay-attacher.js';
export { OverlayNetworks, type OverlayNetworksOptions, type DataPathLog } from './network/io/overlay-networks.js';
export { runCommand, type CommandRunner, type CommandResult } from './network/io/commands.js';
export type { NetworkContainer } from './network/io/docker-networks.js';
export { desiredNetworks, overlayMtu, peersOf, selfOnIngress, type NodeOnBridge, type DesiredNetwork, type Peer, type PeerTarget, type NetworkFacts, type DataPathOptions } from './network/desired.js';
export { planNetworks, planRemoveAll, type NetworkPlan } from './network/plan.js';
export { batchLines, type NetworkAction, type BatchLines } from './network/actions.js';
export { readKernel } from './network/io/read-node.js';
export { runBatch } from './network/io/commands.js';
export type { ObservedState } from './network/observed.js';
export { bridgeName, vxlanName, LABEL_NETWORK_ID, VXLAN_PORT } from './network/names.js';
export { DockerController } from './executor/docker/io/docker-controller.js';
export { FakeRuntime, FakeContainer, FAIL_EXIT_CODE, failsByRule, type FakeRuntimeOptions, type FailRule } from './executor/fake/fake-runtime.js';
export { doTask } from './task-manager/do-task.js';
export { TaskManager, type TaskManagerOptions } from './task-manager/task-manager.js';
export { Worker, type WorkerOptions } from './task-manager/worker.js';
export { silentLog, type Timers, type WorkerLog } from './task-manager/timers.js';
export { realTimers } from './io/timers.js';
export { meshState, portKey, changedPortKeys, departedBackends, conntrackDeleteArgs as meshConntrackDeleteArgs, sameFrame, MAX_MESH_PORTS, MAX_PORT_BACKENDS, type MeshState, type MeshPort, type MeshBackend, type ClientAddressMode, type DepartedBackend } from './ingress/mesh-state.js';
export { iptablesRules, parseSaved, serviceChain, serviceRules, dispatchRule, probability, forwardRules, INGRESS_CHAIN, POSTROUTING_CHAIN, FORWARD_CHAIN, INGRESS_MARK, type IptablesRules, type TableRules } from './ingress/iptables-rules.js';
export { iptablesDelta, tableDelta } from './ingress/iptables-delta.js';
export { staleMeshFlows } from './ingress/stale-flows.js';
export { nftRules, parseNftTable, nftDelta, nftFullScript, pickChain, NFT_TABLE, type NftRules } from './ingress/nft-rules.js';
export { ipvsRules, parseIpvsSave, ipvsDelta, fwmarkFor, isShoalMark, MARK_CHAIN, type IpvsRules } from './ingress/ipvs-rules.js';
export { chooseBackend, probeOrder, parseBackendFlag, INGRESS_BACKEND_FLAGS, type IngressBackendFlag, type ProbeResult, type BackendChoice } from './ingress/backend-choice.js';
export { MeshProgrammer, type IngressBackend, type ApplyStats, type MeshProgrammerOptions } from './ingress/io/mesh-programmer.js';
export { IptablesBackend } from './ingress/io/iptables-backend.js';
export { NftablesBackend, type NftablesBackendOptions } from './ingress/io/nftables-backend.js';
export { IpvsBackend } from './ingress/io/ipvs-backend.js';
export { createIngressBackend, selectIngressBackend } from './ingress/io/probe-backends.js';
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
export { DnsServer, type DnsServerOptions } from './dns/io/dns-server.js';
export { buildDnsIndex, type DnsIndex } from './dns/dns-index.js';
export { resolve as resolveDns, ANSWER_TTL_S, type DnsDecision, type DnsQuery } from './dns/resolver.js';
export { parseUpstream, type Upstream } from './dns/upstreams.js';
export { networkVips, vipsByTask, removedPairs, isIpv4, type VipTarget, type TaskVips } from './vip/vip-plan.js';
export { nftVipScript, nftVipDelta, nftVipRemoval, VIP_TABLE, VIP_CHAIN, VIP_REJECT_CHAIN } from './vip/nft-vip.js';
export { parseConntrack, staleFlows, pairsInUse, conntrackDeleteArgs, type TrackedConnection, type StaleFlow } from './vip/conntrack.js';
export { VipBalancer, type VipBalancerOptions, type VipPassStats } from './vip/io/vip-balancer.js';
export { NftHelper, type NftJob, type NftResult } from './vip/io/nft-batch.js';
export { DockerHealthEvents } from './executor/docker/io/health-events.js';
export { parseHealthEvent, taskHealthOf, LineSplitter, type HealthEvent } from './executor/docker/health.js';
export { hasHealthcheck } from './task-manager/do-task.js';
export { MeshReply, ingressNetwork, MAX_MESH_CONTAINERS, type MeshReplyOptions } from './mesh/io/mesh-reply.js';
export { probeMeshReply, probeVerdict, type MeshReplyMode } from './mesh/io/probe.js';
export { programNamespace, clearNamespace } from './mesh/io/namespace-io.js';
export { meshScript, meshNodes, meshNodesDelta, meshRemoval, subnetMark, MESH_TABLE, MESH_L2_TABLE, MESH_ROUTE_TABLE, MESH_RULE_PREF, type MeshNode } from './mesh/reply-rules.js';
export { planNamespace, observeNamespace, type MeshTarget, type ObservedNamespace, type NamespaceWrite } from './mesh/namespace-plan.js';
