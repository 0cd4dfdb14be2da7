// Original file: /work/main/proto/types.proto


export interface ObjectReply {
  'objectJson'?: (string);
}

export interface ObjectReply__Output {
  'objectJson': (string);
}
