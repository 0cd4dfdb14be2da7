// Original file: proto/dispatcher.proto

import type { TaskStatusUpdate as _shoal_v1_TaskStatusUpdate, TaskStatusUpdate__Output as _shoal_v1_TaskStatusUpdate__Output } from '../../shoal/v1/TaskStatusUpdate.js';

export interface UpdateTaskStatusRequest {
  'nodeId'?: (string);
  'sessionId'?: (string);
  'updates'?: (_shoal_v1_TaskStatusUpdate)[];
}

export interface UpdateTaskStatusRequest__Output {
  'nodeId': (string);
  'sessionId': (string);
  'updates': (_shoal_v1_TaskStatusUpdate__Output)[];
}
