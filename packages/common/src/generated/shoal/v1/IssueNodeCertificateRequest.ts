// Original file: proto/ca.proto


export interface IssueNodeCertificateRequest {
  'token'?: (string);
  'csrPem'?: (string);
  'nodeId'?: (string);
  'hostname'?: (string);
  'advertiseAddr'?: (string);
}

export interface IssueNodeCertificateRequest__Output {
  'token': (string);
  'csrPem': (string);
  'nodeId': (string);
  'hostname': (string);
  'advertiseAddr': (string);
}
