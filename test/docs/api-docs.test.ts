/**
 * The API reference (scripts/api-docs.ts, docs/api/): every export of every entry point has a doc
 * comment, a comment on a re-export's specifier is the one shown, and examples are code blocks.
 */
import { Project } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPages, markdownOf, reExportDocOf } from '../../scripts/api-docs.js';

describe('docs/api', () => {
  let pages: Map<string, string>;
  beforeAll(async () => {
    pages = await apiPages();
  }, 120_000);

  it('has a doc comment for every export of every entry point', () => {
    const missing = [...pages]
      .flatMap(([path, text]) =>
        text
          .split('\n## ')
          .slice(1)
          .filter((section) => section.includes('\n(no doc comment)\n'))
          .map((section) => `${path.split('/').at(-1)}: ${section.split('\n')[0]}`),
      );
    expect(missing).toEqual([]);
  });

  it('shows the comment on a re-export specifier, not the declaration\'s or a file header', () => {
    const project = new Project({ useInMemoryFileSystem: true });
    project.createSourceFile('/machine.ts', '/** The declaration\'s words. */\nexport type Name = \'hold\';\n/** Used as is. */\nexport const other = 1;\n');
    project.createSourceFile('/barrel.ts', '/** The barrel\'s header. */\nexport * from \'./machine.js\';\n');
    const entry = project.createSourceFile(
      '/entry.ts',
      '/** The entry\'s header, about the file. */\nexport type {\n  /** The entry\'s words. */\n  Name as ShortName,\n} from \'./barrel.js\';\nexport { other } from \'./barrel.js\';\n',
    );
    expect(reExportDocOf(entry, 'ShortName')).toBe("The entry's words.");
    expect(reExportDocOf(entry, 'other')).toBe('');
    expect(reExportDocOf(entry, 'nothing')).toBe('');
  });

  it('ShortRequestName, declared in machines/ as RequestName, reads as the root offers it', () => {
    const core = [...pages].find(([path]) => path.endsWith('/core.md'))![1];
    const section = core.split('\n## ').find((text) => text.startsWith('ShortRequestName\n'));
    expect(section).toContain("\nA request's short name as the statechart and the request table use it");
    expect(section).toContain('Declared in `machines/tables.ts`.');
  });

  it('shows each @example as a TypeScript code block, indentation taken off, up to the next tag', () => {
    expect(markdownOf('Does a thing.\n@example\n  const a = 1;\n    a;\n@throws when not')).toBe(
      'Does a thing.\n\nExample:\n\n```ts\nconst a = 1;\n  a;\n```\n\n@throws when not',
    );
    expect(markdownOf('Loops.\n@example for (const x of y) use(x);')).toBe('Loops.\n\nExample:\n\n```ts\nfor (const x of y) use(x);\n```');
    expect(markdownOf('No example.\n\nSecond paragraph.')).toBe('No example.\n\nSecond paragraph.');
  });
});
