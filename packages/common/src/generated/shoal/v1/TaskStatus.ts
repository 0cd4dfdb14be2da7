// Original file: proto/dispatcher.proto


export interface TaskStatus {
  'state'?: (string);
  'timestamp'?: (string);
  'message'?: (string);
  'err'?: (string);
  'containerId'?: (string);
  'exitCode'?: (number);
  'containerIp'?: (string);
  'health'?: (string);
  '_exitCode'?: "exitCode";
}

export interface TaskStatus__Output {
  'state': (string);
  'timestamp': (string);
  'message': (string);
  'err': (string);
  'containerId': (string);
  'exitCode'?: (number);
  'containerIp': (string);
  'health': (string);
  '_exitCode'?: "exitCode";
}
