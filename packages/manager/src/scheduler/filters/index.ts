import type { Filter } from '../filter.js';
import { availabilityFilter } from './availability-filter.js';
import { constraintFilter } from './constraint-filter.js';
import { hostPortFilter } from './host-port-filter.js';
import { maxReplicasFilter } from './max-replicas-filter.js';
import { platformFilter } from './platform-filter.js';
import { readyFilter } from './ready-filter.js';
import { resourceFilter } from './resource-filter.js';

export { availabilityFilter, constraintFilter, hostPortFilter, maxReplicasFilter, platformFilter, readyFilter, resourceFilter };

/** A fresh set of filters in pipeline order; a node is counted against the first one it fails. */
export function defaultFilters(): Filter[] {
  return [readyFilter(), availabilityFilter(), resourceFilter(), constraintFilter(), platformFilter(), hostPortFilter(), maxReplicasFilter()];
}
