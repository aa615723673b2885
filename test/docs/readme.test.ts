/** The README's contract tables are the code's own, and every local file it links exists. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phoneEventTableMarkdown, requestTableMarkdown } from '../../machines/tables.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const section = (name: string): string => {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme);
  return match?.[1] ?? `(no ${name} section in README.md)`;
};

describe('README.md', () => {
  it('shows the request x state table the code decides from', () => {
    expect(section('request-table')).toBe(requestTableMarkdown());
  });

  it('shows the phone-event x state table the code decides from', () => {
    expect(section('phone-event-table')).toBe(phoneEventTableMarkdown());
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !existsSync(new URL(link, root)))).toEqual([]);
  });

  it('names only npm scripts that package.json has', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts);
    const named = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });
});
