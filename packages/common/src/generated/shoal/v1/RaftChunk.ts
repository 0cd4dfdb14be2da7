// Original file: proto/raft.proto


export interface RaftChunk {
  'payload'?: (string);
  'more'?: (boolean);
}

export interface RaftChunk__Output {
  'payload': (string);
  'more': (boolean);
}
