export * from './store/index.js';
export { Manager, type ManagerOptions } from './io/manager.js';
export { controlHandlers } from './control/io/control-service.js';
export type { BootstrapInfo } from './bootstrap.js';
export * as ca from './ca/index.js';
export type { RaftGroupTuning } from './raft/io/raft-group.js';
export { DEFAULT_RAFT_TIMING, type RaftTiming } from './raft/raft-host.js';
export { ConnectionTable, CONNECTION_LIMITS, connectionLimitsFor, type ConnectionLimits } from './edge/connection-table.js';
export { refusalLogger } from './edge/log-throttle.js';
