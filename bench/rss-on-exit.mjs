// Preloaded with --import: on exit, append this process's peak RSS (KiB) to $MIGCHECK_RSS_FILE.
import { appendFileSync } from 'node:fs';
process.on('exit', () => appendFileSync(process.env.MIGCHECK_RSS_FILE, `${process.resourceUsage().maxRSS}\n`));
