/**
 * Reads a file the user named (a scenario, a calls file, a PEM file). Every failure becomes one
 * clear sentence naming the flag and the file, worded the same for every flag: missing, a folder,
 * unreadable, or not valid JSON/YAML.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** The text of the file a flag names, or a UsageError `FLAG NAME: no such file` (and the like). */
export async function readUserFile(flag: string, name: string, cwd: string, hint: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, name), 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    throw new UsageError(`${flag} ${name}: ${why}`, hint);
  }
}

export async function loadDataFile(flag: string, name: string, cwd: string, hint: string): Promise<unknown> {
  const text = await readUserFile(flag, name, cwd, hint);
  if (/\.json$/i.test(name)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`${flag} ${name}: not valid JSON (${firstLine(error)})`, hint);
    }
  }
  // YAML is a superset of JSON, so any other extension is read as YAML.
  let parse: (text: string) => unknown;
  try {
    ({ parse } = await import('yaml'));
  } catch {
    throw new UsageError(`${flag} ${name}: reading YAML needs the yaml package`, 'run `npm install yaml`, or give the file as .json');
  }
  try {
    return parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag} ${name}: not valid YAML (${firstLine(error)})`, hint);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
