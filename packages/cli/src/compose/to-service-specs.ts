import { invalidArgument, LABEL_STACK, type ServiceSpec } from '@shoal/common';
import { convertContainer, labelMap } from './convert-container.js';
import { convertMode, convertPlacement, convertResources, convertRestartPolicy } from './convert-deploy.js';
import { convertNetworks, stackNetworks } from './convert-networks.js';
import { convertPorts } from './convert-ports.js';
import { convertMounts } from './convert-volumes.js';
import type { ComposeProject, ComposeService } from './types.js';

function toServiceSpec(project: ComposeProject, stack: string, name: string, svc: ComposeService, warnings: string[]): ServiceSpec {
  const path = `services.${name}`;
  if (svc.env_file !== undefined && !project.envFilesResolved) {
    throw invalidArgument(`${path}.env_file: env files were not read (load the project with readComposeProject)`);
  }
  const deploy = svc.deploy ?? undefined;
  const container = { ...convertContainer(name, svc, stack), mounts: convertMounts(project, stack, svc, path) };
  return {
    annotations: { name: `${stack}_${name}`, labels: { ...labelMap(deploy?.labels), [LABEL_STACK]: stack } },
    task: {
      container,
      resources: convertResources(deploy, `${path}.deploy.resources`),
      restartPolicy: convertRestartPolicy(deploy, svc.restart, `${path}.deploy.restart_policy`),
      placement: convertPlacement(deploy, `${path}.deploy.placement`),
      networks: convertNetworks(project, stack, name, svc),
      forceUpdate: 0,
    },
    mode: convertMode(deploy, `${path}.deploy`),
    endpoint: { ports: convertPorts(svc.ports, `${path}.ports`, warnings) },
  };
}

/**
 * The services of a stack in the model of @shoal/common, named `STACK_SERVICE` and labelled
 * `io.shoal.stack=STACK`, with the networks the stack must create. Pure; errors are
 * INVALID_ARGUMENT naming the key path.
 */
export function toServiceSpecs(project: ComposeProject, stackName: string): { services: ServiceSpec[]; networks: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const services = Object.keys(project.services)
    .sort()
    .map((name) => toServiceSpec(project, stackName, name, project.services[name]!, warnings));
  return { services, networks: stackNetworks(project, stackName), warnings };
}
