import { LABEL_STACK, type NetworkSpec, type ServiceSpec } from '@shoal/common';

/** The compose loader is imported on first use: commands that need no compose file start faster. */
const compose = () => import('../compose/index.js');
const reader = () => import('./read-compose-project.js');

/** Reads the -c files (cwd-relative; `-` is stdin), the `.env` beside the first and any env_file. */
async function load(paths: readonly string[]) {
  return (await reader()).readComposeProject(paths, process.env);
}

/** What a `stack deploy` wants: its services, the networks to create, the external networks to find. */
export interface LoadedStack {
  specs: ServiceSpec[];
  networks: NetworkSpec[];
  externalNetworks: string[];
  /** Every warning to print (unsupported keys, unset variables). */
  warnings: string[];
}

export async function loadStack(paths: readonly string[], stack: string): Promise<LoadedStack> {
  const { project, warnings } = await load(paths);
  const converted = (await compose()).toServiceSpecs(project, stack);
  for (const spec of converted.services) spec.annotations.labels[LABEL_STACK] ??= stack;
  const { specs: networks, external } = converted.networks;
  return { specs: converted.services, networks, externalNetworks: external, warnings: [...warnings, ...converted.warnings] };
}

/** The merged, interpolated compose file `stack config` prints. */
export async function loadStackConfig(paths: readonly string[]): Promise<{ text: string; warnings: string[] }> {
  const { project, warnings } = await load(paths);
  return { text: (await compose()).renderConfig(project), warnings: [...warnings] };
}
