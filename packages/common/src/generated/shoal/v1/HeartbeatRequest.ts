// Original file: proto/dispatcher.proto


export interface HeartbeatRequest {
  'nodeId'?: (string);
  'sessionId'?: (string);
}

export interface HeartbeatRequest__Output {
  'nodeId': (string);
  'sessionId': (string);
}
