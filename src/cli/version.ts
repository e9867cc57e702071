// The tool's version: the bundle defines MIGCHECK_VERSION (scripts/build.mjs); a run from source is a dev build.
declare const MIGCHECK_VERSION: string | undefined;
export const VERSION = typeof MIGCHECK_VERSION === 'string' ? MIGCHECK_VERSION : '0.0.0-dev';
