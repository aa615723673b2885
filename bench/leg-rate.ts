/**
 * `npm run bench -- leg-rate`: legs created and initialised per second, in process. The leg:
 * `createConversationDestination` on a minimal leg, then its init frame received and answered
 * (validated, through the machine, the response validated and handed to `send`). The floor: a
 * bare `createActor` of the same machine, started, sent one init request event. Alternating
 * rounds of 10,000 legs each; the legs are stopped between rounds.
 */
import { createActor } from 'xstate';
import { conversationMachine } from '../machines/conversation.machine.js';
import { createConversationDestination } from '../src/destination/index.js';
import { alternate, fmt, gc, machineLine, median, medianRatio, table, tiny, writeResult, rounds } from './support/report.js';
import { MinimalLeg, minimalSnapshot } from './support/minimal-phone.js';

const ROUNDS = rounds(7);
const LEGS = tiny ? 200 : 10_000;
const TARGET = 'PB1.S-1.G-1.TEL.I-1.';

async function timed(run: () => { stop(): void }[]): Promise<number> {
  gc();
  const start = process.hrtime.bigint();
  const made = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  for (const m of made) m.stop();
  await new Promise((resolve) => setImmediate(resolve));
  return LEGS / seconds;
}

export async function legRate(): Promise<Record<string, unknown>> {
  let answered = 0;
  const send = (message: { header: { type: string } }): void => {
    if (message.header.type === 'cti.response') answered += 1;
  };
  const legs = Array.from({ length: LEGS }, (_, i) => new MinimalLeg(`r${i}`));
  let rid = 0;
  const figures = await alternate(ROUNDS, {
    floor: () =>
      timed(() => {
        const out = [];
        for (const leg of legs) {
          const actor = createActor(conversationMachine, { input: { snapshot: minimalSnapshot } });
          actor.start();
          actor.send({ type: 'query.init', header: { type: 'cti.query', name: 'conversation.query.init', target: TARGET + leg.id, requestId: `f${(rid += 1)}` } });
          out.push(actor);
        }
        return out;
      }),
    destination: () =>
      timed(() => {
        const out = [];
        for (const leg of legs) {
          const d = createConversationDestination({ leg, send });
          d.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: TARGET + leg.id, requestId: `d${(rid += 1)}` }, body: {} });
          out.push(d);
        }
        return out;
      }),
  });
  if (answered !== LEGS * ROUNDS) throw new Error(`${answered} of ${LEGS * ROUNDS} inits answered`);
  const ratio = medianRatio(figures['destination']!, figures['floor']!);
  console.log(`\n## Legs created and initialised per second (${LEGS} legs a round, ${ROUNDS} rounds)\n\n${machineLine()}\n`);
  console.log(
    table(
      ['contender', 'legs/s (median)', '÷ floor'],
      [
        ['bare createActor + start + one send (floor)', fmt.rate(median(figures['floor']!)), '100%'],
        ['createConversationDestination + init answered', fmt.rate(median(figures['destination']!)), fmt.pct(ratio)],
      ],
    ),
  );
  const summary = { floorPerSecond: median(figures['floor']!), destinationPerSecond: median(figures['destination']!), destinationVsFloor: ratio };
  const file = writeResult('leg-rate', { rounds: ROUNDS, legs: LEGS, figures, summary });
  console.log(`\nresults: ${file}`);
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) await legRate();
