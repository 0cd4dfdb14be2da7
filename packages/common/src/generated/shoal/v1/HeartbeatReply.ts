// Original file: /work/main/proto/dispatcher.proto


export interface HeartbeatReply {
  'periodMs'?: (number);
}

export interface HeartbeatReply__Output {
  'periodMs': (number);
}
