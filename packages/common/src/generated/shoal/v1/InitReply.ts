// Original file: proto/swarm.proto


export interface InitReply {
  'nodeId'?: (string);
  'advertiseAddr'?: (string);
  'role'?: (string);
}

export interface InitReply__Output {
  'nodeId': (string);
  'advertiseAddr': (string);
  'role': (string);
}
