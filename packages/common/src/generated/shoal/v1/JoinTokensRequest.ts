// Original file: proto/control.proto


export interface JoinTokensRequest {
  'rotate'?: (string);
}

export interface JoinTokensRequest__Output {
  'rotate': (string);
}
