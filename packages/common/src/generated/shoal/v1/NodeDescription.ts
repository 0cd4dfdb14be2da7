// Original file: proto/dispatcher.proto

import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from '../../shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';

export interface NodeDescription {
  'hostname'?: (string);
  'platform'?: (_shoal_v1_Platform | null);
  'resources'?: (_shoal_v1_Resources | null);
  'engineVersion'?: (string);
  'engineLabels'?: ({[key: string]: string});
}

export interface NodeDescription__Output {
  'hostname': (string);
  'platform': (_shoal_v1_Platform__Output | null);
  'resources': (_shoal_v1_Resources__Output | null);
  'engineVersion': (string);
  'engineLabels': ({[key: string]: string});
}
