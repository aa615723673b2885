/**
 * One conversation destination in process, without sockets: a simulated inbound call driven by
 * the destination driver through init, answer, hold, retrieve and release, each request awaited to
 * its response, and every message the destination sends printed as JSON.
 *
 *   npx tsx examples/library/one-leg.ts
 */
import { pathToFileURL } from 'node:url';
import { createDestinationDriver, SimulatedPhone } from 'cti-conversation';
import type { OutboundMessage } from 'cti-conversation';

export async function main(print: (line: string) => void = console.log): Promise<OutboundMessage[]> {
  const phone = new SimulatedPhone();
  const leg = phone.ring({ number: '+15551230001', name: 'Pat Caller' }, { id: 'leg-1' });
  // The driver plays the bridge: it builds each request, hands it to a destination over the leg
  // and resolves with the response. `send` sees everything the destination sends.
  const driver = createDestinationDriver({
    leg,
    target: 'PB1.AGENT-1001.TEL.I-1.leg-1',
    send: (message) => print(JSON.stringify(message)),
    onDiagnostic: (d) => print(`diagnostic ${d.code}: ${d.message}`),
  });
  for (const request of ['init', 'answer', 'hold', 'retrieve', 'release'] as const) {
    const response = await driver.request(request);
    if (response.header.result !== 'SUCCESS') throw new Error(`${request} failed: ${response.header.errorMessage}`);
  }
  await driver.nextEvent('ended'); // the release's event, once the phone has hung up
  driver.stop();
  await phone.close();
  return [...driver.sent];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
