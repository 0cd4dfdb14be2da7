// Original file: proto/dispatcher.proto


export interface TaskStatusUpdate {
  'taskId'?: (string);
  'statusJson'?: (string);
}

export interface TaskStatusUpdate__Output {
  'taskId': (string);
  'statusJson': (string);
}
