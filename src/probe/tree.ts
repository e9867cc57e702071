// The files a probe reads, from the running system (/) or from a captured tree (--root).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export class ProbeError extends Error {}

export class HostTree {
  constructor(readonly root: string) {}

  /** Where a host path is read from, as messages show it. */
  shown(path: string): string {
    return this.root === '/' ? path : join(this.root, path);
  }

  read(path: string): string | undefined {
    try {
      const raw = readFileSync(join(this.root, path));
      return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** First line, trimmed (sysfs and procfs values). */
  line(path: string): string | undefined {
    return this.read(path)?.split('\n')[0]?.trim();
  }

  list(dir: string): string[] {
    try {
      return readdirSync(join(this.root, dir));
    } catch {
      return [];
    }
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }
}
