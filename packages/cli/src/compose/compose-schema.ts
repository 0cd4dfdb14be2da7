/**
 * The JSON Schema compose files are validated against: the Compose file format 3.x plus the
 * keys of the Compose Specification that Swarm honours, and keys Swarm knows but ignores (they
 * validate, then produce one warning). Extension keys `x-*` are allowed wherever Compose allows them.
 */
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strOrNum = { type: ['string', 'number'] };
const strList = { type: 'array', items: str };
const stringOrList = { oneOf: [str, strList] };
const scalar = { type: ['string', 'number', 'boolean', 'null'] };
const x = { '^x-': {} };

/** A closed mapping: unknown keys are errors. */
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  patternProperties: x,
  additionalProperties: false,
  ...extra,
});

const listOrDict = {
  oneOf: [{ type: 'object', patternProperties: { '.+': scalar }, additionalProperties: false }, { type: 'array', items: str, uniqueItems: true }],
};

const resources = obj({
  cpus: strOrNum,
  memory: strOrNum,
  pids: int,
  generic_resources: { type: 'array' },
  devices: { type: 'array' },
});

const updateConfig = obj({
  parallelism: int,
  delay: str,
  failure_action: { type: 'string', enum: ['continue', 'pause', 'rollback'] },
  monitor: str,
  max_failure_ratio: { type: 'number' },
  order: { type: 'string', enum: ['start-first', 'stop-first'] },
});

const deploy = obj({
  mode: { type: 'string', enum: ['replicated', 'global'] },
  endpoint_mode: { type: 'string', enum: ['vip', 'dnsrr'] },
  replicas: { type: 'integer', minimum: 0 },
  labels: listOrDict,
  update_config: updateConfig,
  rollback_config: updateConfig,
  resources: obj({ limits: resources, reservations: resources }),
  restart_policy: obj({
    condition: { type: 'string', enum: ['none', 'on-failure', 'any'] },
    delay: str,
    max_attempts: { type: 'integer', minimum: 0 },
    window: str,
  }),
  placement: obj({
    constraints: strList,
    preferences: { type: 'array', items: obj({ spread: str }) },
    max_replicas_per_node: { type: 'integer', minimum: 0 },
  }),
});

const port = {
  oneOf: [
    { type: 'integer', minimum: 0, maximum: 65535 },
    str,
    obj({
      target: { type: 'integer', minimum: 1, maximum: 65535 },
      published: { type: ['integer', 'string'] },
      protocol: { type: 'string', enum: ['tcp', 'udp'] },
      mode: { type: 'string', enum: ['ingress', 'host'] },
      host_ip: str,
      name: str,
      app_protocol: str,
    }, { required: ['target'] }),
  ],
};

const volumeMount = {
  oneOf: [
    str,
    obj({
      type: { type: 'string', enum: ['bind', 'volume', 'tmpfs', 'npipe', 'cluster'] },
      source: str,
      target: str,
      read_only: bool,
      consistency: str,
      bind: obj({ propagation: str, create_host_path: bool, selinux: str }),
      volume: obj({ nocopy: bool, subpath: str }),
      tmpfs: obj({ size: { type: ['integer', 'string'] }, mode: int }),
    }, { required: ['type', 'target'] }),
  ],
};

const fileRef = { oneOf: [str, obj({ source: str, target: str, uid: str, gid: str, mode: int }, { required: ['source'] })] };

const healthcheck = obj({
  test: stringOrList,
  interval: str,
  timeout: str,
  retries: { type: 'integer', minimum: 0 },
  start_period: str,
  start_interval: str,
  disable: bool,
});

const serviceNetworks = {
  oneOf: [
    strList,
    {
      type: 'object',
      patternProperties: {
        '^[a-zA-Z0-9._-]+$': {
          oneOf: [obj({ aliases: strList, ipv4_address: str, ipv6_address: str, priority: int, driver_opts: { type: 'object' } }), { type: 'null' }],
        },
      },
      additionalProperties: false,
    },
  ],
};

/** Keys Swarm knows but ignores; validated loosely, then warned about. */
const ignoredServiceKeys = {
  build: { oneOf: [str, { type: 'object' }] },
  cgroup_parent: str,
  cgroupns_mode: str,
  container_name: str,
  depends_on: { oneOf: [strList, { type: 'object' }] },
  devices: { type: 'array' },
  domainname: str,
  expose: { type: 'array', items: strOrNum },
  external_links: strList,
  ipc: str,
  links: strList,
  mac_address: str,
  network_mode: str,
  pid: { type: ['string', 'null'] },
  privileged: bool,
  restart: str,
  security_opt: strList,
  shm_size: strOrNum,
  userns_mode: str,
  profiles: strList,
  pull_policy: str,
  platform: str,
  scale: int,
};

const service = obj({
  ...ignoredServiceKeys,
  image: str,
  command: { oneOf: [str, strList, { type: 'null' }] },
  entrypoint: { oneOf: [str, strList, { type: 'null' }] },
  environment: listOrDict,
  env_file: stringOrList,
  labels: listOrDict,
  working_dir: str,
  user: str,
  hostname: str,
  init: bool,
  read_only: bool,
  tty: bool,
  stdin_open: bool,
  stop_grace_period: str,
  stop_signal: str,
  healthcheck,
  tmpfs: stringOrList,
  volumes: { type: 'array', items: volumeMount },
  ports: { type: 'array', items: port },
  networks: serviceNetworks,
  deploy: { oneOf: [deploy, { type: 'null' }] },
  configs: { type: 'array', items: fileRef },
  secrets: { type: 'array', items: fileRef },
  logging: obj({ driver: str, options: { type: 'object', patternProperties: { '.+': { type: ['string', 'number', 'null'] } } } }),
  cap_add: strList,
  cap_drop: strList,
  sysctls: listOrDict,
  ulimits: { type: 'object', patternProperties: { '.+': { oneOf: [int, obj({ hard: int, soft: int }, { required: ['soft', 'hard'] })] } } },
  dns: stringOrList,
  dns_search: stringOrList,
  extra_hosts: listOrDict,
  isolation: str,
  credential_spec: obj({ config: str, file: str, registry: str }),
  group_add: { type: 'array', items: strOrNum },
  stop_signal_timeout: str,
});

const external = { oneOf: [bool, obj({ name: str })] };

const network = {
  oneOf: [
    { type: 'null' },
    obj({
      name: str,
      driver: str,
      driver_opts: { type: 'object', patternProperties: { '.+': strOrNum } },
      ipam: obj({ driver: str, config: { type: 'array', items: obj({ subnet: str, gateway: str, ip_range: str, aux_addresses: { type: 'object' } }) }, options: { type: 'object' } }),
      external,
      internal: bool,
      attachable: bool,
      enable_ipv6: bool,
      labels: listOrDict,
    }),
  ],
};

const volume = {
  oneOf: [
    { type: 'null' },
    obj({ name: str, driver: str, driver_opts: { type: 'object', patternProperties: { '.+': strOrNum } }, external, labels: listOrDict }),
  ],
};

const fileObject = obj({ name: str, file: str, external, labels: listOrDict, template_driver: str, environment: str, content: str });

const NAME = '^[a-zA-Z0-9._-]+$';
const named = (schema: unknown) => ({ type: 'object', patternProperties: { [NAME]: schema }, additionalProperties: false });

export const composeSchema = {
  type: 'object',
  properties: {
    version: str,
    name: str,
    services: named(service),
    networks: named(network),
    volumes: named(volume),
    configs: named(fileObject),
    secrets: named(fileObject),
  },
  patternProperties: x,
  additionalProperties: false,
};

/** Service keys that Swarm ignores (Docker prints "Ignoring unsupported options: ..."). */
export const IGNORED_SERVICE_KEYS = Object.keys(ignoredServiceKeys);
