// Original file: /work/main/proto/control.proto


export interface JoinTokensRequest {
  'rotate'?: (string);
}

export interface JoinTokensRequest__Output {
  'rotate': (string);
}
