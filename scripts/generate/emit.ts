/**
 * ts-morph plumbing shared by the TypeScript emitters: build a file from statements, format it the
 * same way every time and return its text (the caller decides whether to write or compare).
 */
import { IndentationText, Project, QuoteKind, type SourceFile } from 'ts-morph';

const project = new Project({
  useInMemoryFileSystem: true,
  manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
});

let counter = 0;

export function newSourceFile(banner: string): SourceFile {
  counter += 1;
  const file = project.createSourceFile(`/emit-${counter}.ts`, '', { overwrite: true });
  file.insertText(0, `${banner}\n`);
  return file;
}

/** Adds statements separated by one blank line each. */
export function addBlocks(file: SourceFile, blocks: readonly string[]): void {
  file.addStatements(blocks.map((block) => block.trim()).filter((block) => block !== '').join('\n\n'));
}

export function finish(file: SourceFile): string {
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  // One blank line after the banner and between blocks, one newline at the end.
  const text = `${file
    .getFullText()
    .replace(/^(\/\/[^\n]*\n)(?!\n)/, '$1\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
  project.removeSourceFile(file);
  return text;
}
