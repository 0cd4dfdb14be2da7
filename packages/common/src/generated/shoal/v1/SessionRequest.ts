// Original file: proto/dispatcher.proto


export interface SessionRequest {
  'nodeId'?: (string);
  'descriptionJson'?: (string);
  'addr'?: (string);
}

export interface SessionRequest__Output {
  'nodeId': (string);
  'descriptionJson': (string);
  'addr': (string);
}
