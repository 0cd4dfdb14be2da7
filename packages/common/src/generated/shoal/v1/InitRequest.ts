// Original file: proto/swarm.proto

import type { Long } from '@grpc/proto-loader';

export interface InitRequest {
  'advertiseAddr'?: (string);
  'listenAddr'?: (string);
  'forceNewCluster'?: (boolean);
  'certExpiryMs'?: (number | string | Long);
  'defaultAddrPool'?: (string)[];
  'defaultAddrPoolMaskLen'?: (number);
  'ingressSubnet'?: (string);
}

export interface InitRequest__Output {
  'advertiseAddr': (string);
  'listenAddr': (string);
  'forceNewCluster': (boolean);
  'certExpiryMs': (string);
  'defaultAddrPool': (string)[];
  'defaultAddrPoolMaskLen': (number);
  'ingressSubnet': (string);
}
