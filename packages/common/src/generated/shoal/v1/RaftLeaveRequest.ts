// Original file: proto/raft.proto


export interface RaftLeaveRequest {
  'nodeId'?: (string);
}

export interface RaftLeaveRequest__Output {
  'nodeId': (string);
}
