import { invalidArgument, LABEL_STACK, type ServiceSpec } from '@shoal/common';
import { convertContainer, labelMap } from './convert-container.js';
import { convertMode, convertPlacement, convertResources, convertRestartPolicy } from './convert-deploy.js';
import { convertNetworks, stackNetworks, type StackNetworks } from './convert-networks.js';
import { convertPorts } from './convert-ports.js';
import { convertMounts } from './convert-volumes.js';
import type { ComposeProject, ComposeService } from './types.js';

/** Published ports and `deploy.endpoint_mode` (absent: vip); dnsrr cannot publish through ingress, as in Docker. */
function convertEndpoint(svc: ComposeService, path: string, warnings: string[]): ServiceSpec['endpoint'] {
  const ports = convertPorts(svc.ports, `${path}.ports`, warnings);
  const mode = svc.deploy?.endpoint_mode;
  if (mode === 'dnsrr' && ports.some((p) => p.publishMode === 'ingress')) {
    throw invalidArgument(`${path}.deploy.endpoint_mode: port published with ingress mode can't be used with dnsrr mode (publish with mode: host)`);
  }
  return { ports, ...(mode ? { mode } : {}) };
}

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
    endpoint: convertEndpoint(svc, path, warnings),
  };
}

/**
 * The services of a stack in the model of @shoal/common, named `STACK_SERVICE` and labelled
 * `io.shoal.stack=STACK`, with the networks the stack must create and those that must exist. Pure; errors are
 * INVALID_ARGUMENT naming the key path.
 */
export function toServiceSpecs(project: ComposeProject, stackName: string): { services: ServiceSpec[]; networks: StackNetworks; warnings: string[] } {
  const warnings: string[] = [];
  const services = Object.keys(project.services)
    .sort()
    .map((name) => toServiceSpec(project, stackName, name, project.services[name]!, warnings));
  return { services, networks: stackNetworks(project, stackName), warnings };
}
