export { DEFAULT_KEY_POLICY, NETWORK_KEY_BYTES, nextKeys, planNetworkKeys, withoutKeys, type KeyPlan, type KeyPolicy, type KeyUpdate } from './plan-keys.js';
export { MAX_WAIT_MS, NetworkKeyRotator, type KeyRotatorOptions } from './key-rotator.js';
