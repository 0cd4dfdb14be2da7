import { countNodes, type Filter } from '../filter.js';

/** Paused and drained nodes take no new tasks. */
export function availabilityFilter(): Filter {
  return {
    name: 'availability',
    setTask: () => true,
    check: (info) => info.node.spec.availability === 'active',
    explain: (n) => `${countNodes(n)} not available for new tasks`,
  };
}
