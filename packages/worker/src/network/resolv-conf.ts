/**
 * The /etc/resolv.conf of a task's containers: shoald's DNS server on the gateway of the task's
 * first network (the same address on every node), no search domains, and `ndots:0` so that a
 * single-label name is asked as it is (a service name) before anything else.
 */
export function resolvConfText(gateway: string): string {
  return `# written by shoald: service discovery on the overlay network's gateway\nnameserver ${gateway}\noptions ndots:0\n`;
}
