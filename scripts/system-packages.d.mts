// Types of system-packages.mjs (plain JavaScript so that it runs before node_modules exist), for the tests.

export interface SystemPackage {
  name: string;
  /** What in this project needs it, as set-up prints it. */
  for: string;
}

/** Everything set-up asks the machine, and the one thing it does to it (run). */
export interface SetupProbes {
  isDebian(): boolean;
  isRoot(): boolean;
  passwordlessSudo(): boolean;
  /** The installed ones among `names`, name → version (dpkg's view). */
  installedPackages(names: string[]): Map<string, string>;
  /** Runs a command, returns its exit status. */
  run(command: string, args: string[]): number;
  log(line: string): void;
}

export interface SystemSetupOptions {
  check?: boolean;
  required?: boolean;
  packages?: SystemPackage[];
}

export interface SystemSetupResult {
  exitCode: number;
  installed: string[];
}

export const SYSTEM_PACKAGES: SystemPackage[];
export const DPKG_QUERY_FORMAT: string;
export const SETUP_HELP: string;
export function parseDpkgStatus(output: string): Map<string, string>;
export function machineProbes(log?: (line: string) => void): SetupProbes;
export function installCommand(names: string[], asRoot: boolean): string;
export function setUpSystemPackages(options?: SystemSetupOptions, probes?: SetupProbes): SystemSetupResult;
export function parseSetupArgs(argv: string[]): { check: boolean; system: boolean; help: boolean };
