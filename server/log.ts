import type { Logger } from './store/types.js';

export function createLogger(quiet = false): Logger {
  const stamp = () => new Date().toISOString().slice(11, 19);
  return {
    info: (m) => {
      if (!quiet) console.log(`[${stamp()}] ${m}`);
    },
    warn: (m) => {
      if (!quiet) console.warn(`[${stamp()}] warning: ${m}`);
    },
    error: (m) => console.error(`[${stamp()}] error: ${m}`),
  };
}
