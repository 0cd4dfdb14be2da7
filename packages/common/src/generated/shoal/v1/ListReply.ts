// Original file: /work/main/proto/types.proto


export interface ListReply {
  'objectsJson'?: (string)[];
}

export interface ListReply__Output {
  'objectsJson': (string)[];
}
