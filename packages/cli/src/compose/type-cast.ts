/**
 * After interpolation every substituted value is a string; Docker casts those at paths where the
 * schema wants a number or a boolean, so `replicas: ${REPLICAS:-2}` works. Patterns use `*` for
 * any map key and `#` for any list index.
 */
const INT_PATHS = [
  'services.*.deploy.replicas',
  'services.*.deploy.placement.max_replicas_per_node',
  'services.*.deploy.update_config.parallelism',
  'services.*.deploy.rollback_config.parallelism',
  'services.*.deploy.restart_policy.max_attempts',
  'services.*.healthcheck.retries',
  'services.*.ports.#.target',
  'services.*.ports.#.published',
  'services.*.ulimits.*',
  'services.*.ulimits.*.hard',
  'services.*.ulimits.*.soft',
  'services.*.secrets.#.mode',
  'services.*.configs.#.mode',
  'services.*.volumes.#.tmpfs.size',
];
const FLOAT_PATHS = ['services.*.deploy.update_config.max_failure_ratio', 'services.*.deploy.rollback_config.max_failure_ratio'];
const BOOL_PATHS = [
  'services.*.init',
  'services.*.read_only',
  'services.*.tty',
  'services.*.stdin_open',
  'services.*.privileged',
  'services.*.healthcheck.disable',
  'services.*.volumes.#.read_only',
  'networks.*.external',
  'networks.*.attachable',
  'networks.*.internal',
  'volumes.*.external',
  'configs.*.external',
  'secrets.*.external',
];

function matches(pattern: string, keys: readonly (string | number)[]): boolean {
  const parts = pattern.split('.');
  if (parts.length !== keys.length) return false;
  return parts.every((p, i) => (p === '#' ? typeof keys[i] === 'number' : p === '*' ? typeof keys[i] === 'string' : p === keys[i]));
}

function toNumber(s: string, integer: boolean): number | string {
  const t = s.trim();
  if (integer && /^[+-]?\d+$/.test(t)) return Number(t);
  if (!integer && t !== '' && Number.isFinite(Number(t))) return Number(t);
  return s;
}

function toBool(s: string): boolean | string {
  const t = s.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on', '1'].includes(t)) return true;
  if (['false', 'no', 'n', 'off', '0'].includes(t)) return false;
  return s;
}

/** The value to keep for an interpolated string at `keys`; left a string when it does not cast. */
export function castInterpolated(keys: readonly (string | number)[], value: string): unknown {
  if (INT_PATHS.some((p) => matches(p, keys))) return toNumber(value, true);
  if (FLOAT_PATHS.some((p) => matches(p, keys))) return toNumber(value, false);
  if (BOOL_PATHS.some((p) => matches(p, keys))) return toBool(value);
  return value;
}
