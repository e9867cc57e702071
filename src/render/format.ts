// The output formats a command may be asked for (cli/context.ts re-exports it: render never imports cli).
export type Format = 'text' | 'json' | 'markdown' | 'html' | 'junit' | 'sarif' | 'kubernetes' | 'openstack';

/**
 * Text its renderer made printable itself (printableText, as the command would apply it, on every
 * part that may carry profile text; the rest provably holds none): emitted as it is.
 */
export interface Printable {
  readonly printable: string;
}
