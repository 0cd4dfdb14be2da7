// Original file: proto/dispatcher.proto


export interface SessionMessage {
  'sessionId'?: (string);
  'heartbeatPeriodMs'?: (number);
  'managers'?: (string)[];
}

export interface SessionMessage__Output {
  'sessionId': (string);
  'heartbeatPeriodMs': (number);
  'managers': (string)[];
}
