// The output formats a command may be asked for (cli/context.ts re-exports it: render never imports cli).
export type Format = 'text' | 'json' | 'markdown' | 'html' | 'junit' | 'sarif' | 'kubernetes' | 'openstack';
