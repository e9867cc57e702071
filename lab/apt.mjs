// A private apt for arm64 (and amd64 emulator) packages: its own sources, lists, status and
// cache under the lab's cache directory, pointed to by APT_CONFIG, so /etc/apt is never
// changed. Its sources reuse the Debian mirror this machine's apt sources already name,
// read at run time (no mirror host is written into the repository).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const MAIN_SUITES = ['bullseye', 'bookworm', 'bookworm-backports', 'trixie', 'trixie-backports', 'sid', 'experimental'];
const SECURITY_SUITES = ['bookworm-security', 'trixie-security'];

/** The mirror URIs (archive, security) and keyring named by /etc/apt/sources.list.d/*.sources or sources.list. */
export function systemMirrors(etc = '/etc/apt') {
  const uris = [];
  let signedBy;
  const dir = join(etc, 'sources.list.d');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sources') || f.endsWith('.list')).map((f) => join(dir, f)) : [];
  if (existsSync(join(etc, 'sources.list'))) files.push(join(etc, 'sources.list'));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^URIs:\s*(.+)$/gm)) uris.push(...m[1].trim().split(/\s+/));
    for (const m of text.matchAll(/^Signed-By:\s*(\S+)$/gm)) signedBy ??= m[1];
    for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm)) uris.push(m[1]);
  }
  const debian = uris.filter((u) => /^https?:\/\//.test(u) && /debian/.test(u));
  const security = debian.find((u) => /debian-security\/?$/.test(u));
  const archive = debian.find((u) => !/security/.test(u) && /\/debian\/?$/.test(u));
  if (!archive) throw new Error(`no Debian mirror found in ${etc}/sources.list.d/*.sources or ${etc}/sources.list`);
  const keyring = signedBy && existsSync(signedBy) ? signedBy : '/usr/share/keyrings/debian-archive-keyring.gpg';
  return { archive: archive.replace(/\/$/, ''), security: security?.replace(/\/$/, ''), keyring };
}

export class PrivateApt {
  constructor(cacheDir, log) {
    this.root = resolve(cacheDir, 'apt');
    this.log = log;
    this.config = join(this.root, 'apt.conf');
  }

  setup() {
    const m = systemMirrors();
    for (const d of ['sources.list.d', 'preferences.d', 'state/lists/partial', 'cache/archives/partial', 'debs']) mkdirSync(join(this.root, d), { recursive: true });
    const status = join(this.root, 'state', 'status');
    if (!existsSync(status)) writeFileSync(status, '');
    const stanza = (uri, suites) => `Types: deb\nURIs: ${uri}\nSuites: ${suites.join(' ')}\nComponents: main\nArchitectures: arm64 amd64\nSigned-By: ${m.keyring}\n`;
    const sources = [stanza(m.archive, MAIN_SUITES), ...(m.security ? [stanza(m.security, SECURITY_SUITES)] : [])].join('\n');
    writeFileSync(join(this.root, 'sources.list.d', 'lab.sources'), sources);
    writeFileSync(join(this.root, 'sources.list'), '');
    const r = this.root;
    writeFileSync(this.config, [
      `Dir::Etc::SourceList "${r}/sources.list";`,
      `Dir::Etc::SourceParts "${r}/sources.list.d";`,
      `Dir::Etc::Preferences "${r}/preferences";`,
      `Dir::Etc::PreferencesParts "${r}/preferences.d";`,
      `Dir::State "${r}/state";`,
      `Dir::State::status "${r}/state/status";`,
      `Dir::Cache "${r}/cache";`,
      'APT::Architecture "arm64";',
      'APT::Architectures { "arm64"; "amd64"; };',
      'APT::Sandbox::User "root";',
      'Acquire::Languages "none";',
      'Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";',
      'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";',
      '',
    ].join('\n'));
    return this;
  }

  env() {
    return { ...process.env, APT_CONFIG: this.config, DEBIAN_FRONTEND: 'noninteractive' };
  }

  run(cmd, args, opts = {}) {
    // a binary cache of the lists (configuration parts such as Docker's docker-clean turn it
    // off; the command line wins over them): every apt-cache call would parse all lists again
    const cacheOpts = ['-o', `Dir::Cache::pkgcache=${this.root}/cache/pkgcache.bin`, '-o', 'Dir::Cache::srcpkgcache='];
    return execFileSync(cmd, [...cacheOpts, ...args], { env: this.env(), encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  }

  /** apt-get update, at most once per maxAgeMs (a suite that is missing is a warning apt prints, not a failure). */
  update(maxAgeMs = 6 * 3600e3) {
    const stamp = join(this.root, 'state', 'updated');
    if (existsSync(stamp) && Date.now() - Number(readFileSync(stamp, 'utf8')) < maxAgeMs) return;
    this.log('apt: updating the private package lists');
    try {
      this.run('apt-get', ['update', '-q']);
    } catch (err) {
      // some suites may be missing on a mirror: apt still writes the lists it got
      this.log(`apt: update reported problems (continuing with what was fetched): ${String(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ')}`);
    }
    writeFileSync(stamp, String(Date.now()));
  }

  /** package names matching a regex, with every version the lists hold: [{name, version}] */
  search(regex) {
    const out = this.run('apt-cache', ['search', '--names-only', regex]);
    return out.split('\n').filter(Boolean).map((l) => l.split(' - ')[0].trim());
  }

  /** the newest version of a package in one suite (e.g. bookworm-backports), or undefined */
  versionIn(spec, suite) {
    const out = this.run('apt-cache', ['madison', spec]);
    const hits = out.split('\n').map((l) => l.split('|').map((s) => s.trim())).filter(([, , where]) => where && where.split(/\s+/)[1] === `${suite}/main`);
    return hits[0]?.[1];
  }

  /** the candidate (highest) version of a package, or undefined */
  policy(name) {
    const out = this.run('apt-cache', ['policy', name]);
    const m = /Candidate:\s*(\S+)/.exec(out);
    return m && m[1] !== '(none)' ? m[1] : undefined;
  }

  /** Downloads a package (name or name:arch) into the cache; returns the .deb path. Throws when gone (404). */
  download(spec, pinned) {
    const dir = join(this.root, 'debs');
    const [name, arch = 'arm64'] = spec.split(':');
    const version = pinned ?? this.policy(spec);
    if (!version) throw new Error(`${spec}: not in the archive's lists`);
    const file = `${name}_${version.replace(':', '%3a')}_`;
    const hit = readdirSync(dir).find((f) => f.startsWith(file) && (f.endsWith(`_${arch}.deb`) || f.endsWith('_all.deb')));
    if (hit) return join(dir, hit);
    this.log(`apt: downloading ${spec} ${version}`);
    this.run('apt-get', ['download', '-q', `${spec}=${version}`], { cwd: dir });
    const got = readdirSync(dir).find((f) => f.startsWith(file) && f.endsWith('.deb'));
    if (!got) throw new Error(`${spec}: apt-get download left no .deb`);
    return join(dir, got);
  }
}

/** Only the members of a .deb whose path matches `keep` (kernel packages carry ~80 MB of modules the lab never loads). */
export function unpackSome(deb, dir, keep) {
  const mark = join(dir, `.unpacked-${deb.split('/').pop()}`);
  if (existsSync(mark)) return dir;
  mkdirSync(dir, { recursive: true });
  const members = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 1 << 30 });
  const names = execFileSync('tar', ['-t'], { input: members, encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter((n) => keep.test(n));
  if (names.length) execFileSync('tar', ['-x', '-C', dir, ...names], { input: members, maxBuffer: 64 << 20 });
  writeFileSync(mark, '');
  return dir;
}

/** dpkg-deb -x into dir (once) */
export function unpack(deb, dir) {
  const mark = join(dir, '.unpacked');
  if (existsSync(mark) && readFileSync(mark, 'utf8') === deb) return dir;
  mkdirSync(dir, { recursive: true });
  execFileSync('dpkg-deb', ['-x', deb, dir]);
  writeFileSync(mark, deb);
  return dir;
}
