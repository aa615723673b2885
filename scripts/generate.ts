/**
 * `npm run generate`: regenerates generated/ and docs/messages.md from spec/conversation.yaml.
 * `npm run generate:check`: writes nothing, exits 1 listing every file that differs.
 * Options (for fixture specs): --spec FILE, --out DIR, --docs FILE.
 */
import { parseArgs } from 'node:util';
import { generate } from './generate/run.js';
import { SpecError } from './generate/spec.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      spec: { type: 'string' },
      out: { type: 'string' },
      docs: { type: 'string' },
    },
  });
  const log = (line: string) => console.log(`generate: ${line}`);
  const report = await generate({ spec: values.spec, out: values.out, docs: values.docs, check: values.check, log });
  if (values.check) {
    const differing = [...report.changed, ...report.stale];
    if (differing.length > 0) {
      console.error('generate: these files differ from what the spec gives; run `npm run generate` and commit:');
      for (const path of report.changed) console.error(`  ${path}`);
      for (const path of report.stale) console.error(`  ${path} (no longer generated)`);
      return 1;
    }
    log(`all ${report.unchanged.length} generated files are up to date`);
    return 0;
  }
  log(`${report.changed.length} written, ${report.unchanged.length} already up to date, ${report.stale.length} deleted`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof SpecError ? `generate: the spec is wrong: ${error.message}` : error);
    process.exitCode = 1;
  },
);
