#!/usr/bin/env node
// Ships proto/ inside @shoal/common, where the gRPC loader finds it once the package is installed.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dest = join(root, 'packages/common/proto');
rmSync(dest, { recursive: true, force: true });
cpSync(join(root, 'proto'), dest, { recursive: true });
