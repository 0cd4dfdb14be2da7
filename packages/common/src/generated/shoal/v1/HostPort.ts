// Original file: proto/dispatcher.proto


export interface HostPort {
  'port'?: (number);
  'protocol'?: (string);
  'process'?: (string);
  'pid'?: (number);
}

export interface HostPort__Output {
  'port': (number);
  'protocol': (string);
  'process': (string);
  'pid': (number);
}
