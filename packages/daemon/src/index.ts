export { Daemon, type DaemonOptions } from './daemon.js';
// The join path and the node's client credentials, for hollow nodes (bench/hollow) that join as shoald does.
export { requestMembership, nodeClientCredentials, type Membership } from './membership.js';
export type { NodeCerts } from './tls/node-certs.js';
