export { Allocator, MAX_ALLOCATIONS_PER_BATCH, isWaitingForAddresses, type AllocatorOptions } from './allocator.js';
export { allocateNetwork, lingeringNetworks, nodeAddresses } from './network-allocation.js';
export { pickSubnet, poolSettings, userSubnet, DEFAULT_ADDR_POOL, DEFAULT_SUBNET_SIZE } from './subnets.js';
export { pickVxlanId, VXLAN_ID_BASE } from './vxlan-ids.js';
export { addressKey, pickAddress } from './addresses.js';
export { planTaskAddresses, noFreeAddress } from './task-addresses.js';
export { planServiceVips } from './service-vips.js';
