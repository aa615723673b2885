/**
 * npm run api-docs            writes docs/api/: one page per entry point of package.json, every
 *                             export with its signature and doc comment (read with ts-morph):
 *                             the comment of a re-export naming it if there is one (nearest the
 *                             entry point first), else the comment of its declaration
 * npm run api-docs -- --check exits 1 naming the pages that differ (npm run generate:check runs it)
 *
 * A small generator of our own rather than TypeDoc: the pages are plain Markdown beside the other
 * docs, stable byte for byte (so a freshness check can compare them), and need no new dependency.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Node, Project, SyntaxKind, type ExportedDeclarations, type JSDoc, type JSDocableNode, type SourceFile } from 'ts-morph';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/api');

interface Entry {
  /** `cti-conversation`, `cti-conversation/client`, … */
  readonly specifier: string;
  /** The TypeScript source of the entry, relative to the root. */
  readonly source: string;
  /** The page's file name. */
  readonly page: string;
}

/** package.json's entry points, mapped from dist/*.js back to their sources. */
async function entries(): Promise<Entry[]> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { default: string }>;
  };
  return Object.entries(manifest.exports)
    .filter(([, target]) => typeof target !== 'string')
    .map(([key, target]) => {
      const specifier = key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`;
      const source = (target as { default: string }).default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');
      const page = key === '.' ? 'core.md' : `${key.slice(2).replaceAll('/', '-')}.md`;
      return { specifier, source, page };
    });
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A doc comment's text, without its stars. */
function textOf(doc: JSDoc | undefined): string {
  if (!doc) return '';
  // getInnerText has already taken off each line's ` * `: a second space taken here cut one
  // level off every indented line of an @example.
  return doc.getInnerText().trim();
}

/** The doc comment of a declaration (of its variable statement for a const). */
export function docOf(declaration: ExportedDeclarations): string {
  const holder: Node | undefined = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
  if (!holder || !Node.isJSDocable(holder)) return '';
  return textOf((holder as unknown as JSDocableNode).getJsDocs().at(-1));
}

/**
 * The doc comment a re-export gives `name` on its specifier (`export { /** … *\/ name } from …`;
 * a comment before the whole statement is not one: the first statement's is the file's header).
 * Looked for in `file` first, then along the files it re-exports from, so the comment nearest the
 * entry point wins. It says what the export is as the entry point offers it (a renamed export, or
 * a name one part declares and another part presents); '' when no re-export on the way has one.
 */
export function reExportDocOf(file: SourceFile, name: string, seen = new Set<SourceFile>()): string {
  if (seen.has(file)) return '';
  seen.add(file);
  for (const statement of file.getExportDeclarations()) {
    const specifiers = statement.getNamedExports();
    const target = statement.getModuleSpecifierSourceFile();
    if (specifiers.length === 0) {
      // `export * from`: follow it when it is where the name comes from.
      if (target?.getExportedDeclarations().has(name)) {
        const found = reExportDocOf(target, name, seen);
        if (found) return found;
      }
      continue;
    }
    const specifier = specifiers.find((s) => (s.getAliasNode() ?? s.getNameNode()).getText() === name);
    if (!specifier) continue;
    const own = textOf(specifier.getChildrenOfKind(SyntaxKind.JSDoc).at(-1));
    if (own) return own;
    return target ? reExportDocOf(target, specifier.getNameNode().getText(), seen) : '';
  }
  return '';
}

function kindOf(declaration: ExportedDeclarations): string {
  if (Node.isFunctionDeclaration(declaration)) return 'function';
  if (Node.isClassDeclaration(declaration)) return 'class';
  if (Node.isInterfaceDeclaration(declaration)) return 'interface';
  if (Node.isTypeAliasDeclaration(declaration)) return 'type';
  if (Node.isEnumDeclaration(declaration)) return 'enum';
  if (Node.isVariableDeclaration(declaration)) return 'const';
  return declaration.getKindName();
}

function signatureOf(name: string, declaration: ExportedDeclarations): string {
  if (Node.isFunctionDeclaration(declaration)) {
    const overloads = declaration.getOverloads();
    const forms = overloads.length > 0 ? overloads : [declaration];
    return forms
      .map((form) => {
        const types = form.getTypeParameters().map((t) => t.getText());
        const params = form.getParameters().map((p) => oneLine(p.getText()));
        const returns = form.getReturnTypeNode()?.getText();
        return `function ${name}${types.length ? `<${types.join(', ')}>` : ''}(${params.join(', ')})${returns ? `: ${oneLine(returns)}` : ''}`;
      })
      .join('\n');
  }
  if (Node.isClassDeclaration(declaration)) {
    const heritage = declaration.getExtends()?.getText();
    const members = declaration
      .getMembers()
      .filter((member) => !(Node.isModifierable(member) && (member.hasModifier(SyntaxKind.PrivateKeyword) || member.hasModifier(SyntaxKind.ProtectedKeyword))))
      .filter((member) => !(Node.isPropertyDeclaration(member) || Node.isMethodDeclaration(member)) || !member.getName().startsWith('#'))
      .map((member) => `  ${oneLine(member.getText().replace(/\{[\s\S]*\}\s*$/, '').replace(/=[\s\S]*;$/, ';'))}`);
    return `class ${name}${heritage ? ` extends ${heritage}` : ''} {\n${members.join('\n')}\n}`;
  }
  if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration) || Node.isEnumDeclaration(declaration)) {
    const text = declaration.getText().replace(/\/\*\*[\s\S]*?\*\/\s*/g, '').replace(/^export\s+/, '');
    return text.length > 1500 ? `${text.slice(0, 1500)}\n// … (see the source)` : text;
  }
  if (Node.isVariableDeclaration(declaration)) {
    const type = declaration.getTypeNode()?.getText() ?? declaration.getType().getText(declaration);
    const shown = type.length > 300 ? `${type.slice(0, 300)}…` : type;
    return `const ${name}: ${oneLine(shown)}`;
  }
  return name;
}

export interface ApiExport {
  readonly name: string;
  readonly kind: string;
  readonly signature: string;
  readonly doc: string;
  /** Where it is declared, relative to the root. */
  readonly file: string;
}

/** Every export of an entry, sorted by name. */
export function exportsOf(project: Project, source: string): ApiExport[] {
  const file = project.addSourceFileAtPath(join(root, source));
  const found: ApiExport[] = [];
  for (const [name, declarations] of file.getExportedDeclarations()) {
    const declaration = declarations[0];
    if (!declaration) continue;
    found.push({
      name,
      kind: kindOf(declaration),
      signature: signatureOf(name, declaration),
      doc: reExportDocOf(file, name) || docOf(declaration),
      file: declaration.getSourceFile().getFilePath().slice(root.length + 1),
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A doc comment as Markdown: the text of each `@example` (on its line and the lines after it, up
 * to the next tag) becomes a TypeScript code block, its common indentation taken off.
 */
export function markdownOf(doc: string): string {
  const out: string[] = [];
  let example: string[] | undefined;
  const close = (): void => {
    if (!example) return;
    while (example.length > 0 && example.at(-1)!.trim() === '') example.pop();
    const indent = Math.min(...example.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
    while (out.length > 0 && out.at(-1)!.trim() === '') out.pop();
    out.push('', 'Example:', '', '```ts', ...example.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)), '```', '');
    example = undefined;
  };
  for (const line of doc.split('\n')) {
    const tag = /^@(\w+)\s?(.*)$/.exec(line);
    if (tag) close();
    if (tag?.[1] === 'example') {
      example = tag[2]!.trim() === '' ? [] : [tag[2]!];
      continue;
    }
    if (example) example.push(line);
    else out.push(line);
  }
  close();
  return out.join('\n').trim();
}

function page(entry: Entry, items: readonly ApiExport[]): string {
  const lines = [
    `<!-- Generated by scripts/api-docs.ts from the doc comments. Do not edit: run \`npm run api-docs\`. -->`,
    '',
    `# \`${entry.specifier}\``,
    '',
    `\`import { … } from '${entry.specifier}'\` (or \`require('${entry.specifier}')\`). Source: \`${entry.source}\`. [All entry points](README.md).`,
    '',
    '| export | kind | what |',
    '| --- | --- | --- |',
    ...items.map((item) => `| [\`${item.name}\`](#${item.name.toLowerCase()}) | ${item.kind} | ${oneLine(item.doc.split(/\n\s*\n|\n@/)[0] ?? '').replace(/\|/g, '\\|').slice(0, 160)} |`),
    '',
  ];
  for (const item of items) {
    lines.push(`## ${item.name}`, '', '```ts', item.signature, '```', '', item.doc ? markdownOf(item.doc) : '(no doc comment)', '', `Declared in \`${item.file}\`.`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function index(list: readonly { entry: Entry; items: readonly ApiExport[] }[]): string {
  return `${[
    `<!-- Generated by scripts/api-docs.ts from the doc comments. Do not edit: run \`npm run api-docs\`. -->`,
    '',
    '# API reference',
    '',
    'One page per entry point of the package, every export with its signature and doc comment.',
    '',
    '| entry point | exports |',
    '| --- | --- |',
    ...list.map(({ entry, items }) => `| [\`${entry.specifier}\`](${entry.page}) | ${items.length} |`),
  ].join('\n')}\n`;
}

/** Every page: path -> text. */
export async function apiPages(): Promise<Map<string, string>> {
  const project = new Project({ tsConfigFilePath: join(root, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const list = [];
  for (const entry of await entries()) list.push({ entry, items: exportsOf(project, entry.source) });
  const pages = new Map<string, string>();
  for (const { entry, items } of list) pages.set(join(out, entry.page), page(entry, items));
  pages.set(join(out, 'README.md'), index(list));
  return pages;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const pages = await apiPages();
  const present = (await readdir(out).catch(() => [] as string[])).map((name) => join(out, name));
  const stale = present.filter((path) => !pages.has(path));
  const differing: string[] = [];
  for (const [path, text] of pages) {
    if ((await readFile(path, 'utf8').catch(() => undefined)) === text) continue;
    differing.push(path);
    if (!check) {
      await mkdir(out, { recursive: true });
      await writeFile(path, text);
    }
  }
  if (!check) for (const path of stale) await rm(path);
  const shown = (path: string) => path.slice(root.length + 1);
  if (check && differing.length + stale.length > 0) {
    console.error('api-docs: these pages differ from the doc comments; run `npm run api-docs` and commit:');
    for (const path of [...differing, ...stale]) console.error(`  ${shown(path)}`);
    return 1;
  }
  console.log(check ? `api-docs: all ${pages.size} pages are up to date` : `api-docs: ${differing.length} written, ${stale.length} deleted, ${pages.size} pages`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
