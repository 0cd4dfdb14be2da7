/**
 * The loaded compose project: the merged, interpolated and validated files, with environment
 * and labels in map form and relative paths made absolute. Shapes follow the schema in
 * compose-schema.ts; values the schema allows in several forms keep them (the converter
 * normalises).
 */
export type ListOrMap = string[] | Record<string, string | number | boolean | null>;

export interface ComposePortLong {
  target: number;
  published?: number | string;
  protocol?: 'tcp' | 'udp';
  mode?: 'ingress' | 'host';
  host_ip?: string;
}

export interface ComposeVolumeLong {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster';
  source?: string;
  target: string;
  read_only?: boolean;
  tmpfs?: { size?: number | string; mode?: number };
}

export interface ComposeResources {
  cpus?: string | number;
  memory?: string | number;
}

export interface ComposeDeploy {
  mode?: 'replicated' | 'global';
  endpoint_mode?: 'vip' | 'dnsrr';
  replicas?: number;
  labels?: ListOrMap;
  resources?: { limits?: ComposeResources; reservations?: ComposeResources };
  restart_policy?: { condition?: 'none' | 'on-failure' | 'any'; delay?: string; max_attempts?: number; window?: string };
  placement?: { constraints?: string[]; preferences?: { spread?: string }[]; max_replicas_per_node?: number };
  [key: string]: unknown;
}

export interface ComposeHealthcheck {
  test?: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  command?: string | string[] | null;
  entrypoint?: string | string[] | null;
  /** After loading: a map; null values are variables that were not set. */
  environment?: Record<string, string | null>;
  env_file?: string | string[];
  labels?: ListOrMap;
  working_dir?: string;
  user?: string;
  hostname?: string;
  init?: boolean;
  stop_grace_period?: string;
  stop_signal?: string;
  healthcheck?: ComposeHealthcheck;
  tmpfs?: string | string[];
  volumes?: (string | ComposeVolumeLong)[];
  ports?: (string | number | ComposePortLong)[];
  networks?: string[] | Record<string, { aliases?: string[] } | null>;
  deploy?: ComposeDeploy | null;
  [key: string]: unknown;
}

export interface ComposeTopLevelObject {
  name?: string;
  external?: boolean | { name?: string };
  [key: string]: unknown;
}

/** A top-level network: what `stack deploy` creates (overlay), or `external` ones it only uses. */
export interface ComposeNetwork extends ComposeTopLevelObject {
  driver?: string;
  driver_opts?: Record<string, string | number>;
  attachable?: boolean;
  internal?: boolean;
  enable_ipv6?: boolean;
  labels?: ListOrMap;
  ipam?: {
    driver?: string;
    config?: { subnet?: string; gateway?: string; ip_range?: string; aux_addresses?: Record<string, unknown> }[];
    options?: Record<string, unknown>;
  };
}

export interface ComposeProject {
  version?: string;
  name?: string;
  /** The directory of the first file: relative paths are resolved against it. */
  workingDir: string;
  services: Record<string, ComposeService>;
  networks: Record<string, ComposeNetwork | null>;
  volumes: Record<string, ComposeTopLevelObject | null>;
  configs: Record<string, ComposeTopLevelObject>;
  secrets: Record<string, ComposeTopLevelObject>;
  /** Other top-level keys (`x-*` extensions), kept for `stack config`. */
  extensions: Record<string, unknown>;
  /** Absolute paths of every `env_file`; the caller reads them and passes their text in. */
  envFilePaths: string[];
  /** True when env_file contents were passed in and merged into `environment`. */
  envFilesResolved: boolean;
}

export interface LoadComposeOptions {
  /** Text of env files by absolute path (see `envFilePaths`). */
  envFiles?: Record<string, string>;
}

export interface ComposeFileInput {
  path: string;
  content: Uint8Array;
}
