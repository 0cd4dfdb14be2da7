// Original file: proto/types.proto


export interface Empty {
}

export interface Empty__Output {
}
