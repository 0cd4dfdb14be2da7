// Original file: proto/dispatcher.proto

import type { HostPort as _shoal_v1_HostPort, HostPort__Output as _shoal_v1_HostPort__Output } from '../../shoal/v1/HostPort.js';

export interface HostPortsReport {
  'nodeId'?: (string);
  'sessionId'?: (string);
  'ports'?: (_shoal_v1_HostPort)[];
}

export interface HostPortsReport__Output {
  'nodeId': (string);
  'sessionId': (string);
  'ports': (_shoal_v1_HostPort__Output)[];
}
