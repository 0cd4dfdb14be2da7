
/**
 * The ingress table as the renderer needs it: a published port and where to send its traffic.
 * The dispatcher computes it (manager/src/dispatcher/ingress-table.ts) and sends it to the node.
 */
export interface IngressPort {
  publishedPort: number;
  protocol: 'tcp' | 'udp';
  backends: readonly { ip: string; port: number }[];
}
