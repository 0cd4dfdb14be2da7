// Original file: proto/ca.proto


export interface IssueNodeCertificateReply {
  'certPem'?: (string);
  'nodeId'?: (string);
  'role'?: (string);
  'clusterId'?: (string);
  'managers'?: (string)[];
}

export interface IssueNodeCertificateReply__Output {
  'certPem': (string);
  'nodeId': (string);
  'role': (string);
  'clusterId': (string);
  'managers': (string)[];
}
