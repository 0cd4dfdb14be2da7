// Original file: proto/control.proto


export interface GetRequest {
  'ref'?: (string);
}

export interface GetRequest__Output {
  'ref': (string);
}
