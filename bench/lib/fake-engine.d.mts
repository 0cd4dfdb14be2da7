// Types of fake-engine.mjs, for tests that run a daemon without Docker Engine or iptables.
export function serveEmptyEngine(socketPath: string): Promise<{ url: string; close(): Promise<void> }>;
export function noopIptablesDir(dir: string): string;
