/**
 * Installs a packed cti-conversation tarball into a scratch project without the network, as a
 * user's `npm install` would lay it out. `npm install --offline` cannot: it wants the registry's
 * package documents, which `npm ci` never caches. So this writes the scratch project's lockfile
 * itself, from the tarball's own package.json and the versions this repository's lockfile pins
 * (whose tarballs `npm ci` did cache), then runs `npm ci --offline`. Used by the import-cost
 * benchmark and the packaging acceptance test; plain JavaScript so both can load it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** package.json of a tarball, read with tar (present wherever npm is). */
export function tarballManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', resolve(tarball), 'package/package.json'], { encoding: 'utf8' }));
}

/** Where Node would find `name` from the package at lock key `from` ('' is the project root). */
function resolveKey(packages, from, name) {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** The runtime names a manifest needs: dependencies, and peers that are not optional. */
function required(manifest) {
  const optionalPeers = manifest.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
  ];
}

/**
 * Creates `dir` (a project with `extra` merged into its package.json) and installs `tarball`
 * into it with `npm ci --offline`. The versions come from `lockfilePath` (default: this repository's
 * package-lock.json; the import-cost benchmark passes an older commit's for an older tarball).
 * Throws when a dependency is not in that lockfile, or when npm cannot install from the cache.
 */
export function installTarballOffline(tarball, dir, extra = {}, lockfilePath = join(repoRoot, 'package-lock.json')) {
  const manifest = tarballManifest(tarball);
  const lock = JSON.parse(readFileSync(lockfilePath, 'utf8')).packages;
  const picked = {};
  const queue = required(manifest).map((name) => ({ from: '', name, by: manifest.name }));
  while (queue.length) {
    const { from, name, by } = queue.shift();
    const key = resolveKey(lock, from, name);
    if (!key) throw new Error(`${name} (needed by ${by}) is not in ${lockfilePath}`);
    if (picked[key]) continue;
    const { dev, devOptional, peer, ...entry } = lock[key];
    picked[key] = entry;
    for (const dep of required(entry)) queue.push({ from: key, name: dep, by: name });
    for (const dep of Object.keys(entry.optionalDependencies ?? {}))
      if (resolveKey(lock, key, dep)) queue.push({ from: key, name: dep, by: name });
  }
  mkdirSync(dir, { recursive: true });
  const spec = `file:${resolve(tarball)}`;
  const pkg = { name: 'scratch', version: '0.0.0', private: true, type: 'module', ...extra, dependencies: { [manifest.name]: spec } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const own = { version: manifest.version, resolved: spec };
  for (const field of ['license', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines'])
    if (manifest[field]) own[field] = manifest[field];
  const lockfile = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies }, [`node_modules/${manifest.name}`]: own, ...picked },
  };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return dir;
}
