#!/usr/bin/env node
/**
 * What the package costs a user: the bytes `npm install` puts in node_modules, and the time
 * `import('cti-conversation')` adds to a bare `node -e ''`.
 *
 *   node bench/import-cost.mjs [--before COMMIT|OLD.tgz] [--after NEW.tgz] [--rounds 15] [--write] [--keep]
 *
 * Both packages are packed in the same run. `--before` is a git commit (default
 * `BEFORE_COMMIT` below: c412cc8, the last commit before the package issue's work, whose first
 * commit is 1cbf2c8) or a tarball; a commit is checked out into a temporary git worktree under
 * the system temp folder, given this checkout's node_modules, packed there (`npm pack` runs its
 * `prepare`, which builds dist/), and the worktree removed again. Without `--after`, the working
 * tree is packed (uncommitted changes included).
 *
 * Each tarball is installed into its own scratch project with `npm ci --offline`
 * (scripts/offline-install.mjs: the dependencies come from the npm cache that `npm ci` filled; no
 * network), a commit's tarball with the versions of that commit's package-lock.json. The runs
 * alternate (bare, before, after, with the order rotated each round) so that a busy machine slows
 * all of them alike; the figure is the median run minus the median bare run. `--write` rewrites
 * the "Import cost" section of BENCHMARKS.md. Plain JavaScript so it runs without a build.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, lstatSync, rmSync, existsSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTarballOffline } from '../scripts/offline-install.mjs';
import { parseArgs } from 'node:util';

/** The last commit before the package issue (entry points, driver, packaging) began: 0.1.0. */
const BEFORE_COMMIT = 'c412cc88f9eb2d4c6ee7446a0eb311f8daafeaad';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    before: { type: 'string', default: BEFORE_COMMIT },
    after: { type: 'string' },
    rounds: { type: 'string', default: '15' },
    write: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench/import-cost.mjs: --rounds wants a whole number of at least 1, not ${values.rounds}`);
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'cti-import-cost-'));
// The scratch folder goes on any exit, a failed one too, unless --keep asks to look at it.
process.on('exit', () => {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
});
const progress = (text) => process.stderr.write(`import-cost: ${text}\n`);
const git = (args, cwd = root) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Packs the project folder `dir` (its `prepare` builds dist/) into its own folder under scratch. */
function pack(dir, label) {
  const destination = join(scratch, `${label}-pack`);
  mkdirSync(destination);
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: dir, encoding: 'utf8' });
  return join(destination, out.trim().split('\n').at(-1));
}

/** The working tree, packed: what `--after` defaults to. */
function packWorkingTree() {
  const head = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  progress(`packing the working tree (${head}${dirty ? ' with uncommitted changes' : ''})`);
  return { tarball: pack(root, 'after'), what: `the working tree at ${head}${dirty ? ' (with uncommitted changes)' : ''}`, lockfile: undefined };
}

/**
 * A commit, packed: checked out into a temporary worktree, built and packed there with this
 * checkout's node_modules (the build needs only TypeScript), the worktree removed afterwards.
 * Also keeps the commit's package-lock.json, so its dependencies install at its own versions.
 */
function packCommit(rev) {
  const sha = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  const short = sha.slice(0, 7);
  const tree = join(scratch, `worktree-${short}`);
  progress(`packing commit ${short} in a temporary worktree`);
  git(['worktree', 'add', '--detach', tree, sha]);
  try {
    symlinkSync(realpathSync(join(root, 'node_modules')), join(tree, 'node_modules'), 'dir');
    const tarball = pack(tree, 'before');
    const lockfile = join(scratch, `package-lock-${short}.json`);
    writeFileSync(lockfile, readFileSync(join(tree, 'package-lock.json')));
    const version = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')).version;
    return { tarball, what: `commit ${short} (${version})`, lockfile };
  } finally {
    git(['worktree', 'remove', '--force', tree]);
  }
}

/** `--before`: a tarball when it names a file, else a git commit. */
function before(value) {
  if (value.endsWith('.tgz') || existsSync(value)) return { tarball: value, what: `\`${basename(value)}\``, lockfile: undefined };
  return packCommit(value);
}

/** A scratch project with only this tarball installed, from the cache. */
function install(label, { tarball, lockfile }) {
  progress(`installing ${basename(tarball)} offline`);
  return installTarballOffline(tarball, join(scratch, label), {}, lockfile);
}

/** Bytes of regular files under a folder (what the install puts on disk, before block rounding). */
function bytesUnder(path) {
  let total = 0;
  for (const name of readdirSync(path)) {
    const full = join(path, name);
    const stat = lstatSync(full);
    if (stat.isDirectory()) total += bytesUnder(full);
    else if (stat.isFile()) total += stat.size;
  }
  return total;
}

function installSize(dir) {
  const modules = join(dir, 'node_modules');
  const all = bytesUnder(modules) - (existsSync(join(modules, '.package-lock.json')) ? lstatSync(join(modules, '.package-lock.json')).size : 0);
  const own = bytesUnder(join(modules, 'cti-conversation'));
  const packages = readdirSync(modules).filter((n) => !n.startsWith('.')).flatMap((n) =>
    n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n],
  );
  return { all, own, deps: all - own, packages: packages.filter((p) => p !== 'cti-conversation').sort() };
}

/** Wall time of one `node -e CODE` in `dir`, in milliseconds. */
function timeNode(dir, code) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', code], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node -e ${JSON.stringify(code)} failed in ${dir}: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
/** The value a fraction `q` of the way through the sorted runs (nearest rank). */
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))];
const spread = (xs) => `${quantile(xs, 0.25).toFixed(0)}–${quantile(xs, 0.75).toFixed(0)} ms`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const loadBefore = loadavg()[0];
const packed = {
  before: before(values.before),
  after: values.after ? { tarball: values.after, what: `\`${basename(values.after)}\``, lockfile: undefined } : packWorkingTree(),
};
const dirs = { before: install('before', packed.before), after: install('after', packed.after) };
const sizes = { before: installSize(dirs.before), after: installSize(dirs.after) };

const importCode = "import('cti-conversation')";
const contenders = [
  ['bare', dirs.before, ''],
  ['before', dirs.before, importCode],
  ['after', dirs.after, importCode],
];
const times = { bare: [], before: [], after: [] };
progress(`timing ${rounds} rounds`);
for (const [, dir, code] of contenders) timeNode(dir, code); // warm the file cache once
const loadTiming = loadavg()[0];
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < contenders.length; i++) {
    const [name, dir, code] = contenders[(round + i) % contenders.length];
    times[name].push(timeNode(dir, code));
  }
}
const bare = median(times.bare);
const cost = { before: median(times.before) - bare, after: median(times.after) - bare };

const loadAfter = loadavg()[0];
const machine = `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}`;
const load = `load average (1 min) ${loadBefore.toFixed(2)} at the start, ${loadTiming.toFixed(2)} when the timing began, ${loadAfter.toFixed(2)} at the end`;
const section = `## Import cost

\`node bench/import-cost.mjs\` (add \`--write\` to update this section). It packs both in one run:
"before" is a git commit (default c412cc8, the last commit before the package issue's work,
0.1.0), built and packed in a temporary git worktree; "after" is the working tree, packed. Both
tarballs are installed offline into scratch projects; ${rounds} alternating rounds of
\`node -e "import('cti-conversation')"\` in each and a bare \`node -e ''\`; the import cost is the
median run minus the median bare run (${bare.toFixed(0)} ms here; the middle half of the runs: bare
${spread(times.bare)}, before ${spread(times.before)}, after ${spread(times.after)}). Install size: bytes of
the files in the scratch project's node_modules.

${machine}; ${load}. Before: ${packed.before.what}, \`${basename(packed.before.tarball)}\`; after: ${packed.after.what}, \`${basename(packed.after.tarball)}\`.

| | import of \`.\` | install size | of which dependencies | dependencies installed |
|---|---|---|---|---|
| before | ${cost.before.toFixed(0)} ms | ${mb(sizes.before.all)} | ${mb(sizes.before.deps)} | ${sizes.before.packages.length} |
| after | ${cost.after.toFixed(0)} ms | ${mb(sizes.after.all)} | ${mb(sizes.after.deps)} | ${sizes.after.packages.length} |
| after ÷ before | ${(cost.after / cost.before).toFixed(2)} | ${(sizes.after.all / sizes.before.all).toFixed(2)} | ${(sizes.after.deps / sizes.before.deps).toFixed(2)} | |
`;
console.log(section);
console.log(`before: ${sizes.before.packages.join(', ')}`);
console.log(`after:  ${sizes.after.packages.join(', ')}`);
console.log(JSON.stringify({ bare, cost, sizes: { before: sizes.before.all, after: sizes.after.all }, load: [loadBefore, loadTiming, loadAfter], times }));

if (values.write) {
  // The shared writer is TypeScript (bench/support/benchmarks-file.ts); this file stays plain
  // JavaScript, so it repeats the same three-line section replacement.
  const path = join(root, 'BENCHMARKS.md');
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf('## Import cost');
  const end = start === -1 ? -1 : current.indexOf('\n## ', start + 1);
  const next =
    start === -1 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}${section}${end === -1 ? '' : `\n${current.slice(end + 1)}`}`;
  writeFileSync(path, `${next.trimEnd()}\n`);
}
