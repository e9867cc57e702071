import { assess } from '../../solver/assess.js';
import { checkJson, checkMarkdown, checkText } from '../../render/check.js';
import type { Command } from '../context.js';

export const EXIT = { clean: 0, unsafe: 1, fail: 2 } as const;

export const check: Command<{ from: string; to: string; guest: string; allowUnsafe: boolean }> = {
  command: 'check',
  describe: 'Gate one migration: exit 0 clean, 1 unsafe, 2 fail, 3 bad input',
  options: {
    from: { type: 'string', demandOption: true, describe: 'source host: a Host file or a shipped name' },
    to: { type: 'string', demandOption: true, describe: 'destination host: a Host file or a shipped name' },
    guest: { type: 'string', default: 'default', describe: 'guest configuration: a Guest file, a shipped name, or "default"' },
    'allow-unsafe': { type: 'boolean', default: false, describe: 'exit 0 for an unsafe verdict' },
  },
  run(args, ctx) {
    const r = ctx.resolver;
    const result = assess(r.host(args.from), r.host(args.to), r.guest(args.guest));
    ctx.render({ text: () => checkText(result, ctx.style), json: () => checkJson(result), markdown: () => checkMarkdown(result) });
    return result.verdict === 'unsafe' && args.allowUnsafe ? 0 : EXIT[result.verdict];
  },
};
