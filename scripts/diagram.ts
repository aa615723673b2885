/**
 * npm run diagram          writes docs/conversation.md and docs/conversation.svg from the machine
 * npm run diagram -- --check   exits 1 (naming the stale files) when they differ from the machine
 *
 * The machine is the first StateMachine exported by machines/conversation.machine.ts; `--from
 * <module>` names another module (used by the tests), `--out <dir>` another output folder.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { diagramFiles } from '../src/inspector/diagram-files.js';

const root = resolve(import.meta.dirname, '..');

function option(name: string): string | undefined {
  const index = process.argv.lastIndexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function isMachine(value: unknown): value is AnyStateMachine {
  return !!value && typeof value === 'object' && 'root' in value && 'config' in value && 'id' in value;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const from = resolve(root, option('--from') ?? 'machines/conversation.machine.ts');
  const out = resolve(root, option('--out') ?? 'docs');
  const module = (await import(pathToFileURL(from).href)) as Record<string, unknown>;
  const machine = Object.values(module).find(isMachine);
  if (!machine) {
    process.stderr.write(`diagram: ${relative(root, from)} exports no XState machine\n`);
    return 1;
  }
  const files = await diagramFiles(machine, relative(root, from));
  const wanted = [
    [join(out, 'conversation.md'), files.markdown],
    [join(out, 'conversation.svg'), files.svg],
  ] as const;
  if (check) {
    const stale: string[] = [];
    for (const [path, text] of wanted) {
      const current = await readFile(path, 'utf8').catch(() => undefined);
      if (current !== text) stale.push(relative(root, path));
    }
    if (stale.length > 0) {
      process.stderr.write(`diagram: stale, run \`npm run diagram\`: ${stale.join(', ')}\n`);
      return 1;
    }
    process.stdout.write(`diagram: up to date: ${wanted.map(([path]) => relative(root, path)).join(', ')}\n`);
    return 0;
  }
  await mkdir(out, { recursive: true });
  for (const [path, text] of wanted) await writeFile(path, text);
  process.stdout.write(`diagram: wrote ${wanted.map(([path]) => relative(root, path)).join(', ')}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`diagram: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
