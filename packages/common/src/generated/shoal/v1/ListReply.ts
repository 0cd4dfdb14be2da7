// Original file: proto/types.proto


export interface ListReply {
  'objectsJson'?: (string)[];
  'warning'?: (string);
  'nextPageToken'?: (string);
}

export interface ListReply__Output {
  'objectsJson': (string)[];
  'warning': (string);
  'nextPageToken': (string);
}
