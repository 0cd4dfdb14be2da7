// Original file: proto/control.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateServiceRequest {
  'ref'?: (string);
  'version'?: (number | string | Long);
  'specJson'?: (string);
  'rollback'?: (string);
}

export interface UpdateServiceRequest__Output {
  'ref': (string);
  'version': (string);
  'specJson': (string);
  'rollback': (string);
}
