import { LABEL_STACK, type ServiceSpec } from '@shoal/common';
import { readComposeFiles } from './read-compose-files.js';

/** The compose loader is imported on first use: commands that need no compose file start faster. */
const compose = () => import('../compose/index.js');

async function load(paths: readonly string[]) {
  const files = await readComposeFiles(paths);
  return (await compose()).loadCompose(files, process.env);
}

/** The services a `stack deploy` wants, from the -c files (cwd-relative) and the environment. */
export async function loadStack(paths: readonly string[], stack: string): Promise<{ specs: ServiceSpec[]; warnings: string[] }> {
  const { project, warnings } = await load(paths);
  const { services } = (await compose()).toServiceSpecs(project, stack);
  for (const spec of services) spec.annotations.labels[LABEL_STACK] ??= stack;
  return { specs: services, warnings: [...warnings] };
}

/** The merged, interpolated compose file `stack config` prints. */
export async function loadStackConfig(paths: readonly string[]): Promise<{ text: string; warnings: string[] }> {
  const { project, warnings } = await load(paths);
  return { text: (await compose()).renderConfig(project), warnings: [...warnings] };
}
