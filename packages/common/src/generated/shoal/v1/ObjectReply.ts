// Original file: proto/types.proto


export interface ObjectReply {
  'objectJson'?: (string);
  'warning'?: (string);
}

export interface ObjectReply__Output {
  'objectJson': (string);
  'warning': (string);
}
