// Original file: proto/control.proto


export interface UpdateNodeRequest {
  'ref'?: (string);
  'availability'?: (string);
  'labelAdd'?: ({[key: string]: string});
  'labelRm'?: (string)[];
  'role'?: (string);
}

export interface UpdateNodeRequest__Output {
  'ref': (string);
  'availability': (string);
  'labelAdd': ({[key: string]: string});
  'labelRm': (string)[];
  'role': (string);
}
