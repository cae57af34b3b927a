// The load generator's process: runs LoadSpecs sent over IPC and answers with their results.
import { serveJobs } from './ipc-worker.js';
import { runLoad, type LoadSpec } from './load-core.js';

serveJobs<LoadSpec>(runLoad);
