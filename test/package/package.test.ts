/**
 * The package as its users meet it. The working tree is packed once (`npm pack`, which builds
 * dist/); then the tarball's file list is checked, and a scratch project in a temp folder installs
 * the tarball offline (scripts/offline-install.mjs: from the npm cache `npm ci` filled, no
 * network), type-checks an ES module and a CommonJS module that import the root and every entry
 * point, runs both (import and require), each driving init → answer → hold → retrieve with the
 * destination driver, and runs the shipped examples against the installed package.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTarballOffline } from '../../scripts/offline-install.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};
/** The packed tarball may not grow past this (0.2.0, with both real phones and traces, packs to about 660 kB). */
const MAX_PACKED_BYTES = 800_000;
const SLOW = 600_000;

interface PackResult {
  filename: string;
  size: number;
  files: { path: string; size: number }[];
}

let scratch: string;
let tarball: string;
let project: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cti-package-test-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root, maxBuffer: 1 << 26 });
  const [packed] = JSON.parse(stdout) as PackResult[];
  tarball = join(scratch, packed!.filename);
  project = installTarballOffline(tarball, join(scratch, 'project'));
}, SLOW);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack --dry-run --json', () => {
  let packed: PackResult;
  let paths: Set<string>;
  beforeAll(async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 1 << 26 });
    packed = (JSON.parse(stdout) as PackResult[])[0]!;
    paths = new Set(packed.files.map((file) => file.path));
  }, SLOW);

  it('holds the types and code of every entry point in package.json', () => {
    const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]));
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.map((target) => target.replace(/^\.\//, '')).filter((path) => !paths.has(path))).toEqual([]);
  });

  it('holds no test files, no inspector screenshot, and the licence, changelog and readme', () => {
    expect([...paths].filter((path) => /(^|\/)(test|tests|__tests__)\/|\.test\.|\.spec\./.test(path))).toEqual([]);
    expect(paths.has('docs/inspector.png')).toBe(false);
    for (const path of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'examples/library/one-leg.ts']) expect(paths.has(path), path).toBe(true);
  });

  it('ships the TypeScript sources every declaration map and source map points at', () => {
    const maps = [...paths].filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(100);
    const missing = maps.flatMap((path) => {
      const map = JSON.parse(readFileSync(join(root, path), 'utf8')) as { sources: string[] };
      return map.sources.map((source) => join(path, '..', source)).filter((source) => !paths.has(source));
    });
    expect(missing).toEqual([]);
  });

  it(`packs to under ${MAX_PACKED_BYTES / 1000} kB`, () => {
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
  });
});

describe('a scratch project with the tarball installed offline', () => {
  it('installs only the runtime dependencies, without the optional inspection packages or vitest', () => {
    for (const name of ['xstate', 'cti-conversation']) expect(existsSync(join(project, 'node_modules', name)), name).toBe(true);
    for (const name of ['@statelyai/inspect', '@viz-js/viz', 'vitest']) expect(existsSync(join(project, 'node_modules', name)), name).toBe(false);
  });

  it('type-checks and builds an ES module and a CommonJS module importing the root and each entry point', async () => {
    copyFileSync(join(fixtures, 'consumer.mts'), join(project, 'consumer.mts'));
    copyFileSync(join(fixtures, 'consumer.cts'), join(project, 'consumer.cts'));
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: false,
        outDir: 'out',
        rootDir: '.',
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      },
      files: ['consumer.mts', 'consumer.cts'],
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
    expect(existsSync(join(project, 'out/consumer.mjs'))).toBe(true);
    expect(existsSync(join(project, 'out/consumer.cjs'))).toBe(true);
  }, SLOW);

  it('runs with import: every entry point loads, init → answer → hold → retrieve each SUCCESS, inspection names the missing package', async () => {
    const { stdout } = await run(process.execPath, ['out/consumer.mjs'], { cwd: project });
    expect(stdout.trim().split('\n')).toEqual([
      'esm: 10 of 10 entry points loaded; conversation.request.hold / hold',
      'esm: conversation.query.init SUCCESS',
      'esm: conversation.request.answer SUCCESS',
      'esm: conversation.request.hold SUCCESS',
      'esm: conversation.request.retrieve SUCCESS',
      'esm: events ringing,started,partyadded,talking,held,talking',
      'esm: all valid true',
      'esm: missing: drawing the statechart needs the optional package @viz-js/viz: install it with `npm install @viz-js/viz`',
    ]);
  }, SLOW);

  it('runs with require: every entry point loads and init → answer → hold → retrieve each SUCCESS', async () => {
    const { stdout, stderr } = await run(process.execPath, ['out/consumer.cjs'], { cwd: project });
    expect(stdout.trim().split('\n')).toEqual([
      'cjs: 10 of 10 entry points loaded',
      'cjs: conversation.query.init SUCCESS',
      'cjs: conversation.request.answer SUCCESS',
      'cjs: conversation.request.hold SUCCESS',
      'cjs: conversation.request.retrieve SUCCESS',
    ]);
    expect(stderr).not.toMatch(/Error/);
  }, SLOW);

  it('runs the shipped examples against the installed package, as a user copying them would', async () => {
    cpSync(join(project, 'node_modules/cti-conversation/examples'), join(project, 'examples'), { recursive: true });
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const oneLeg = await run(process.execPath, [tsx, 'examples/library/one-leg.ts'], { cwd: project });
    const names = oneLeg.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { header: { name: string } }).header.name);
    expect(names.at(0)).toBe('conversation.query.init');
    expect(names.at(-1)).toBe('conversation.request.release');
    const adapter = await run(process.execPath, [tsx, 'examples/adapter/run.ts'], { cwd: project });
    expect(adapter.stdout).toMatch(/PASSED|passed/);
  }, SLOW);
});
