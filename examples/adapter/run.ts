/**
 * The adapter example, end to end on 127.0.0.1: a bridge simulator (the bridge's side of the
 * wire), a bridge client serving DeskPhone's legs to it, and one call that rings at the desk phone
 * and is answered, held, retrieved, released and disposed by the simulator. Prints the traffic and
 * the simulator's conformance report; exits 0 when the report passed.
 *
 *   npx tsx examples/adapter/run.ts
 */
import { pathToFileURL } from 'node:url';
import { createBridgeClient } from 'cti-conversation/client';
import { createBridgeSimulator, formatReport } from 'cti-conversation/simulator';
import type { ConformanceReport, WireMessage } from 'cti-conversation/simulator';
import { DeskPhone } from './desk-phone.js';
import { DeskPhoneDriver } from './desk-phone-driver.js';

/** One wire message as a line: name, result (responses), body (when it has one). */
function describe(message: unknown): string {
  const { header, body } = message as WireMessage;
  const result = header.result === undefined ? '' : ` ${header.result}`;
  const error = header.errorMessage === undefined ? '' : ` (${header.errorMessage})`;
  const shown = Object.keys(body ?? {}).length > 0 ? ` ${JSON.stringify(body)}` : '';
  return `${header.name}${result}${error}${shown}`;
}

export async function main(print: (line: string) => void = console.log): Promise<ConformanceReport> {
  const simulator = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
  simulator.onTraffic((entry) => {
    if ('message' in entry) print(`  ${entry.direction.replace('→', ' → ')}  ${describe(entry.message)}`);
    else if ('problem' in entry) print(`  client sent a bad frame: ${entry.problem}`);
  });
  const driver = new DeskPhoneDriver();
  const phone = new DeskPhone(driver);
  let finished = false; // after the report, the client's own "closed" notice is no news
  // The client owns the connection and one conversation destination per leg; the adapter only
  // has to be a Phone.
  const client = createBridgeClient({
    host: simulator.host,
    port: simulator.port,
    phone,
    onDiagnostic: (d) => {
      if (!finished && (d.level === 'warn' || d.level === 'error')) print(`  client: ${d.message}`);
    },
  });
  try {
    await simulator.waitForConnection();
    driver.simulateIncoming('+15551230001', 'Pat Caller');
    const [leg] = phone.legs();
    if (!leg) throw new Error('the desk phone announced no leg');
    // The bridge names the leg by a dotted target whose last segment is the leg id.
    const target = `PB1.S-1001.G-1.TEL.I-1.${leg.id}`;
    print(`A call rings at the desk phone: leg ${leg.id}, target ${target}`);

    const step = async (request: string, event?: string): Promise<void> => {
      print(`- ${request}`);
      const from = simulator.events(target).length;
      const response = request === 'init' ? await simulator.init(target) : await simulator.request(target, request);
      if (response.header.result !== 'SUCCESS') throw new Error(`${request} failed: ${response.header.errorMessage}`);
      if (event) await simulator.waitForEvent(target, event, from);
      // Invariant 3: what the wire said so far folds to the leg's own snapshot.
      if (request !== 'dispose') simulator.checkModel(target, leg.snapshot());
    };
    await step('init', 'ringing');
    await step('answer', 'talking');
    await step('hold', 'held');
    await step('retrieve', 'talking');
    await step('release', 'ended');
    await step('dispose');
    // Dispose freed the leg (the client forgot it) without touching the call at the phone.
    await simulator.waitUntil(() => client.legCount === 0);

    const report = simulator.report();
    finished = true;
    print(formatReport(report));
    return report;
  } finally {
    await client.close();
    await phone.close();
    await simulator.close();
  }
}

// Run when started as a script (the test imports main instead).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (report) => (process.exitCode = report.passed ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
