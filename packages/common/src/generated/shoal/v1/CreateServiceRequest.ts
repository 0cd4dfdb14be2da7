// Original file: proto/control.proto


export interface CreateServiceRequest {
  'specJson'?: (string);
}

export interface CreateServiceRequest__Output {
  'specJson': (string);
}
