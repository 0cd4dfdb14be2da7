// Original file: proto/dispatcher.proto


export interface AssignmentsRequest {
  'nodeId'?: (string);
  'sessionId'?: (string);
}

export interface AssignmentsRequest__Output {
  'nodeId': (string);
  'sessionId': (string);
}
