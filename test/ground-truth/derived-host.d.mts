export declare const BOOT_OPTIONS: Record<string, string[]>;
export declare function derivedHost(
  dir: string,
  lab: { kernel: string; mode: string },
  dump: { values: Record<string, string> },
  model: { features?: string[]; mitigations?: unknown; idRegisters?: unknown } | undefined,
): Record<string, unknown>;
