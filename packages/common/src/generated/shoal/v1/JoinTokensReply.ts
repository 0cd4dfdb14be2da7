// Original file: proto/control.proto


export interface JoinTokensReply {
  'worker'?: (string);
  'manager'?: (string);
  'managerAddrs'?: (string)[];
}

export interface JoinTokensReply__Output {
  'worker': (string);
  'manager': (string);
  'managerAddrs': (string)[];
}
