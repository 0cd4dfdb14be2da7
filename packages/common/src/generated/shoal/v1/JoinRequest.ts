// Original file: proto/swarm.proto


export interface JoinRequest {
  'remoteAddr'?: (string);
  'token'?: (string);
  'advertiseAddr'?: (string);
  'listenAddr'?: (string);
}

export interface JoinRequest__Output {
  'remoteAddr': (string);
  'token': (string);
  'advertiseAddr': (string);
  'listenAddr': (string);
}
