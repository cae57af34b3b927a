// The facts every recorded figure is printed with: numbers from different machines or busy moments are not
// comparable, so each section says where and when it was measured (and how busy the machine was).
import os from 'node:os';

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  date: string;
  loadAverage: string;
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' / '),
  };
}

export function machineLine(facts = machineFacts()): string {
  return (
    `${facts.cpu}, ${facts.cores} cores, ${facts.memoryGB} GB RAM, Node ${facts.node}, ${facts.platform}; ` +
    `load average (1/5/15 min) at start ${facts.loadAverage}; ${facts.date}`
  );
}
