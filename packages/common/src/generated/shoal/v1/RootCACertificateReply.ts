// Original file: proto/ca.proto


export interface RootCACertificateReply {
  'certPem'?: (string);
}

export interface RootCACertificateReply__Output {
  'certPem': (string);
}
