/**
 * The package as its users run it: tsc's output in dist/, built here first. The benches run under
 * tsx, whose esbuild keeps every function's name by wrapping it (`keepNames`): each closure the
 * library creates per leg then carries a property store of its own, about 3 KiB per destination
 * that the compiled package does not have (BENCHMARKS.md, "Memory: measured on the compiled
 * package"). A figure about the library's own heap is therefore taken on dist/.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Client = typeof import('../../src/client/index.js');
type Machine = typeof import('../../machines/conversation.machine.js');

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function compiled(): Promise<{ createBridgeClient: Client['createBridgeClient']; conversationMachine: Machine['conversationMachine'] }> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(`${root}${path}`).href)) as T;
  const client = await load<Client>('dist/src/client/index.js');
  const machine = await load<Machine>('dist/machines/conversation.machine.js');
  return { createBridgeClient: client.createBridgeClient, conversationMachine: machine.conversationMachine };
}
