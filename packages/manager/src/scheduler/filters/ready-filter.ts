import { countNodes, type Filter } from '../filter.js';

/** Only nodes whose status is ready take new tasks. */
export function readyFilter(): Filter {
  return {
    name: 'ready',
    setTask: () => true,
    check: (info) => info.node.status.state === 'ready',
    explain: (n) => `${countNodes(n)} not ready`,
  };
}
