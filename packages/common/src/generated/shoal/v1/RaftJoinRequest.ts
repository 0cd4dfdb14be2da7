// Original file: proto/raft.proto


export interface RaftJoinRequest {
  'addr'?: (string);
}

export interface RaftJoinRequest__Output {
  'addr': (string);
}
