// Original file: proto/dispatcher.proto

import type { NodeDescription as _shoal_v1_NodeDescription, NodeDescription__Output as _shoal_v1_NodeDescription__Output } from '../../shoal/v1/NodeDescription.js';

export interface SessionRequest {
  'nodeId'?: (string);
  'addr'?: (string);
  'description'?: (_shoal_v1_NodeDescription | null);
}

export interface SessionRequest__Output {
  'nodeId': (string);
  'addr': (string);
  'description': (_shoal_v1_NodeDescription__Output | null);
}
