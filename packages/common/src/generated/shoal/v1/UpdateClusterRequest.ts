// Original file: proto/control.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateClusterRequest {
  'version'?: (number | string | Long);
  'maxReplicas'?: (number | string | Long);
}

export interface UpdateClusterRequest__Output {
  'version': (string);
  'maxReplicas': (string);
}
