/** BENCHMARKS.md is shared by the benchmarks: each rewrites only its own `## ` section. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces the section headed `heading` (or appends it) with `section`, which starts with that heading. */
export function writeBenchmarkSection(path: string | URL, heading: string, section: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(heading);
  let next: string;
  if (start === -1) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const end = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start)}${section}${end === -1 ? '' : `\n${current.slice(end + 1)}`}`;
  }
  writeFileSync(path, `${next.trimEnd()}\n`);
}
