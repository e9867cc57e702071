// The YAML library, loaded on first use: most profiles never need it (quick-yaml.ts reads
// them), and `check` should not pay ~250 KB of compile at start-up for the rest. The
// bundle ships it as dist/yaml.cjs beside the commands; from source it is the package.
import { createRequire } from 'node:module';

declare const MIGCHECK_YAML: string | undefined;
let lib: typeof import('yaml') | undefined;

export function yamlLib(): typeof import('yaml') {
  return (lib ??= createRequire(import.meta.url)(typeof MIGCHECK_YAML === 'string' ? MIGCHECK_YAML : 'yaml') as typeof import('yaml'));
}
