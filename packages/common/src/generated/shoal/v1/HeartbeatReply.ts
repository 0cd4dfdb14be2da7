// Original file: proto/dispatcher.proto


export interface HeartbeatReply {
  'periodMs'?: (number);
  'role'?: (string);
}

export interface HeartbeatReply__Output {
  'periodMs': (number);
  'role': (string);
}
