import type { ReadTx } from './store/types.js';

/** Where nodes reach the managers (host:port), as recorded in the store. */
export function managerAddrs(view: ReadTx): string[] {
  return view.find('nodes', (n) => n.spec.role === 'manager').map((n) => n.managerStatus?.addr ?? n.status.addr);
}
