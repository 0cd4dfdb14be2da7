// Original file: proto/dispatcher.proto


export interface AssignmentsMessage {
  'type'?: (string);
  'tasksJson'?: (string)[];
  'removedTaskIds'?: (string)[];
  'ingressJson'?: (string);
  'networksJson'?: (string);
}

export interface AssignmentsMessage__Output {
  'type': (string);
  'tasksJson': (string)[];
  'removedTaskIds': (string)[];
  'ingressJson': (string);
  'networksJson': (string);
}
