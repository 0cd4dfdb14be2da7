export { loadProtos, CLUSTER_CHANNEL_OPTIONS, type ShoalProtos } from './io/load-protos.js';
export { toServiceError, fromServiceError } from './io/status-map.js';
export { callUnary, unaryHandler } from './io/unary.js';
export { insecureCredentials } from './io/insecure-credentials.js';
export type * from '../generated/shoal/v1/index.js';
