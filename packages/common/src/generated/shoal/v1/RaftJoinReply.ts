// Original file: proto/raft.proto


export interface RaftJoinReply {
  'raftId'?: (string);
  'membersJson'?: (string);
}

export interface RaftJoinReply__Output {
  'raftId': (string);
  'membersJson': (string);
}
