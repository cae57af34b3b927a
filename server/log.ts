// The host's log: one line per event, with the time. Every part of the engine gets it passed in.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

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
