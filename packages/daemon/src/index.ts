export { Daemon, type DaemonOptions } from './daemon.js';
