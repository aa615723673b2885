/**
 * One conversation destination in process, without sockets: a simulated inbound call, the init
 * query and an answer, and every message the destination sends printed as JSON.
 *
 *   npx tsx examples/library/one-leg.ts
 */
import { pathToFileURL } from 'node:url';
import { createConversationDestination, SimulatedPhone, validateOutbound } from 'cti-conversation';
import type { OutboundMessage } from 'cti-conversation';

export async function main(print: (line: string) => void = console.log): Promise<OutboundMessage[]> {
  const phone = new SimulatedPhone();
  const leg = phone.ring({ number: '+15551230001', name: 'Pat Caller' }, { id: 'leg-1' });
  const sent: OutboundMessage[] = [];
  const destination = createConversationDestination({
    leg,
    // Every response and event: hand it to your transport. Here: check it and print it.
    send: (message) => {
      if (!validateOutbound(message).ok) throw new Error('an invalid message left the destination');
      sent.push(message);
      print(JSON.stringify(message));
    },
    onDiagnostic: (d) => print(`diagnostic ${d.code}: ${d.message}`),
  });
  const target = 'PB1.AGENT-1001.TEL.I-1.leg-1';
  // receive() takes the bridge's frames as objects or as JSON text, and never throws.
  destination.receive({
    header: { type: 'cti.query', name: 'conversation.query.init', target, requestId: 'q-1' },
    body: {},
  });
  destination.receive(
    JSON.stringify({ header: { type: 'cti.request', name: 'conversation.request.answer', target, requestId: 'r-1' } }),
  );
  // The simulated phone answers on a later tick; wait for the answer's response.
  await new Promise<void>((resolve) => {
    const answered = (): boolean => sent.some((m) => m.header.type === 'cti.response' && m.header.requestId === 'r-1');
    const check = (): void => (answered() ? resolve() : void setImmediate(check));
    check();
  });
  destination.stop();
  await phone.close();
  return sent;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
