// Original file: proto/control.proto


export interface RemoveRequest {
  'ref'?: (string);
  'force'?: (boolean);
}

export interface RemoveRequest__Output {
  'ref': (string);
  'force': (boolean);
}
