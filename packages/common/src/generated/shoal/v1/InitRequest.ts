// Original file: /work/main/proto/swarm.proto


export interface InitRequest {
  'advertiseAddr'?: (string);
  'listenAddr'?: (string);
  'forceNewCluster'?: (boolean);
}

export interface InitRequest__Output {
  'advertiseAddr': (string);
  'listenAddr': (string);
  'forceNewCluster': (boolean);
}
