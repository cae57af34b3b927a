// The original engine's figures on a machine of this kind (quoted in the issue) and the targets this
// project set itself against them and against the bare baseline.
export const ORIGINAL = {
  addItem: { 1: { rps: 323, p99: 9.4 }, 8: { rps: 610, p99: 28 }, 32: { rps: 695, p99: 86 } } as Record<number, { rps: number; p99: number }>,
  addItemLostPercent: { 8: 87, 32: 96 } as Record<number, number>,
  refresh: { 1: { rps: 802 }, 8: { rps: 1300 }, 32: { rps: 1259 } } as Record<number, { rps: number }>,
  deliveryMs: { p50: 10, max: 14 },
  stormMs: 322,
  coldStartMs: 508,
  memoryMB: { idle: 77, subscribers300: 136, afterWrites: 594 },
  stall: '~1 s every 60 s',
};

export const TARGETS = {
  writeRpsVsOriginal: 2,
  writeP99Ms: 15,
  refreshRpsVsOriginal: 3,
  latencyVsBaseline: 1.3,
  deliveryP99Ms: 10,
  stormMs: 100,
  coldStartMs: 250,
  memory300MB: 100,
  growthPercent: 20,
  journalSlowdown: 1.2,
};
