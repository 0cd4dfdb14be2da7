// Original file: proto/swarm.proto


export interface InfoReply {
  'localNodeState'?: (string);
  'nodeId'?: (string);
  'nodeAddr'?: (string);
  'controlAvailable'?: (boolean);
  'clusterId'?: (string);
  'managers'?: (number);
  'nodes'?: (number);
  'version'?: (string);
}

export interface InfoReply__Output {
  'localNodeState': (string);
  'nodeId': (string);
  'nodeAddr': (string);
  'controlAvailable': (boolean);
  'clusterId': (string);
  'managers': (number);
  'nodes': (number);
  'version': (string);
}
