// Original file: proto/control.proto


export interface CreateNetworkRequest {
  'specJson'?: (string);
}

export interface CreateNetworkRequest__Output {
  'specJson': (string);
}
