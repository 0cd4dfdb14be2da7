import { parseReplicas } from './key-value.js';

export interface ScaleRequest {
  service: string;
  replicas: number;
}

/** `NAME=N` arguments of `service scale`; any malformed one rejects them all, as Docker does. */
export function parseScaleArgs(args: readonly string[]): ScaleRequest[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) throw new Error(`invalid scale specifier '${arg}': expected SERVICE=REPLICAS`);
    return { service: arg.slice(0, eq), replicas: parseReplicas(arg.slice(eq + 1), `replicas in '${arg}'`) };
  });
}
