// Original file: proto/types.proto


export interface ListReply {
  'objectsJson'?: (string)[];
  'warning'?: (string);
}

export interface ListReply__Output {
  'objectsJson': (string)[];
  'warning': (string);
}
