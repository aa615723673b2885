#!/usr/bin/env node
/**
 * What the package costs a user: the bytes `npm install` puts in node_modules, and the time
 * `import('cti-conversation')` adds to a bare `node -e ''`.
 *
 *   node bench/import-cost.mjs --before OLD.tgz [--after NEW.tgz] [--rounds 15] [--write]
 *
 * Each tarball is installed into its own scratch project under the system temp folder with
 * `npm ci --offline` (scripts/offline-install.mjs: the dependencies come from the npm cache that
 * `npm ci` filled; no network). Without `--after`, the working tree is packed first. The runs alternate (bare,
 * before, after, with the order rotated each round) so that a busy machine slows all of them
 * alike; the figure is the median run minus the median bare run. `--write` rewrites the
 * "Import cost" section of BENCHMARKS.md. Plain JavaScript so it runs without a build.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, lstatSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTarballOffline } from '../scripts/offline-install.mjs';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string' },
    rounds: { type: 'string', default: '15' },
    write: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
if (!values.before) {
  console.error('bench/import-cost.mjs: --before FILE.tgz is required (the tarball to compare against)');
  process.exit(2);
}
const rounds = Number(values.rounds);
const scratch = mkdtempSync(join(tmpdir(), 'cti-import-cost-'));

/** Packs the working tree (its `prepare` builds dist/) into the scratch folder. */
function packWorkingTree() {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' });
  return join(scratch, out.trim().split('\n').at(-1));
}

/** A scratch project with only this tarball installed, from the cache. */
function install(label, tarball) {
  return installTarballOffline(tarball, join(scratch, label));
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
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const tarballs = { before: values.before, after: values.after ?? packWorkingTree() };
const dirs = { before: install('before', tarballs.before), after: install('after', tarballs.after) };
const sizes = { before: installSize(dirs.before), after: installSize(dirs.after) };

const importCode = "import('cti-conversation')";
const contenders = [
  ['bare', dirs.before, ''],
  ['before', dirs.before, importCode],
  ['after', dirs.after, importCode],
];
const times = { bare: [], before: [], after: [] };
for (const [name, dir, code] of contenders) timeNode(dir, code); // warm the file cache once
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < contenders.length; i++) {
    const [name, dir, code] = contenders[(round + i) % contenders.length];
    times[name].push(timeNode(dir, code));
  }
}
const bare = median(times.bare);
const cost = { before: median(times.before) - bare, after: median(times.after) - bare };

const machine = `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}`;
const section = `## Import cost

\`node bench/import-cost.mjs --before OLD.tgz\` (add \`--write\` to update this section). Both
tarballs are installed offline into scratch projects; ${rounds} alternating rounds of
\`node -e "import('cti-conversation')"\` in each and a bare \`node -e ''\`; the import cost is the
median run minus the median bare run (${bare.toFixed(0)} ms here). Install size: bytes of the files in
the scratch project's node_modules.

${machine}. Before: \`${basename(tarballs.before)}\`; after: \`${basename(tarballs.after)}\`.

| | import of \`.\` | install size | of which dependencies | dependencies installed |
|---|---|---|---|---|
| before | ${cost.before.toFixed(0)} ms | ${mb(sizes.before.all)} | ${mb(sizes.before.deps)} | ${sizes.before.packages.length} |
| after | ${cost.after.toFixed(0)} ms | ${mb(sizes.after.all)} | ${mb(sizes.after.deps)} | ${sizes.after.packages.length} |
| after ÷ before | ${(cost.after / cost.before).toFixed(2)} | ${(sizes.after.all / sizes.before.all).toFixed(2)} | ${(sizes.after.deps / sizes.before.deps).toFixed(2)} | |
`;
console.log(section);
console.log(`before: ${sizes.before.packages.join(', ')}`);
console.log(`after:  ${sizes.after.packages.join(', ')}`);
console.log(JSON.stringify({ bare, cost, sizes: { before: sizes.before.all, after: sizes.after.all } }));

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
if (!values.keep) rmSync(scratch, { recursive: true, force: true });
