// Original file: /work/main/proto/ca.proto


export interface RenewNodeCertificateRequest {
  'csrPem'?: (string);
}

export interface RenewNodeCertificateRequest__Output {
  'csrPem': (string);
}
