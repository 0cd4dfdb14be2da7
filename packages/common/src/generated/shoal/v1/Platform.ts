// Original file: proto/dispatcher.proto


export interface Platform {
  'os'?: (string);
  'architecture'?: (string);
}

export interface Platform__Output {
  'os': (string);
  'architecture': (string);
}
