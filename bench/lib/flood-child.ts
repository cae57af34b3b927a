// The flooding client's process, driven over IPC.
import { runFlood, type FloodSpec } from './flood-core.js';
import { serveJobs } from './ipc-worker.js';

serveJobs<FloodSpec>(runFlood);
