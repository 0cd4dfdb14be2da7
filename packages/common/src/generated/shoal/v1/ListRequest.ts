// Original file: proto/control.proto


export interface ListRequest {
  'filters'?: ({[key: string]: string});
  'paged'?: (boolean);
  'pageToken'?: (string);
}

export interface ListRequest__Output {
  'filters': ({[key: string]: string});
  'paged': (boolean);
  'pageToken': (string);
}
