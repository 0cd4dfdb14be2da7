// Original file: proto/dispatcher.proto


export interface IngressReport {
  'backend'?: (string);
  'clientAddress'?: (string);
  'message'?: (string);
}

export interface IngressReport__Output {
  'backend': (string);
  'clientAddress': (string);
  'message': (string);
}
