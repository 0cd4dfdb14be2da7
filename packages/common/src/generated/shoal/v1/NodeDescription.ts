// Original file: proto/dispatcher.proto

import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from '../../shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';
import type { IngressReport as _shoal_v1_IngressReport, IngressReport__Output as _shoal_v1_IngressReport__Output } from '../../shoal/v1/IngressReport.js';

export interface NodeDescription {
  'hostname'?: (string);
  'platform'?: (_shoal_v1_Platform | null);
  'resources'?: (_shoal_v1_Resources | null);
  'engineVersion'?: (string);
  'engineLabels'?: ({[key: string]: string});
  'ingress'?: (_shoal_v1_IngressReport | null);
}

export interface NodeDescription__Output {
  'hostname': (string);
  'platform': (_shoal_v1_Platform__Output | null);
  'resources': (_shoal_v1_Resources__Output | null);
  'engineVersion': (string);
  'engineLabels': ({[key: string]: string});
  'ingress': (_shoal_v1_IngressReport__Output | null);
}
