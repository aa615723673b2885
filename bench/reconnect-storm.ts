/**
 * `npm run bench -- storm`: a reconnect storm. The client serves 10,000 TALKING legs, all
 * initialised; the bridge process drops the connection, the client reconnects, and the bridge
 * re-initialises every leg at once (inits written in batches of 1,000). Timed from the first init
 * written to the last answer read, beside the raw framed echo answering the same 10,000 inits on
 * a fresh connection.
 */
import { alternate, fmt, machineLine, median, medianRatio, quantile, table, tiny, writeResult, rounds } from './support/report.js';
import { startClient, startEcho, talkingPhone } from './tcp/contenders.js';
import { pause, withBridge } from './tcp/session.js';

const ROUNDS = rounds(5);
const LEGS = tiny ? 50 : 10_000;
const GRACE_MS = tiny ? 2_000 : 10_000;

interface StormFigure {
  readonly ms: number;
  readonly p99: number;
}

export async function storm(): Promise<Record<string, unknown>> {
  return withBridge(async (bridge) => {
    const { phone, legIds } = await talkingPhone(LEGS);
    const figures = (await alternate(ROUNDS, {
      echo: async (): Promise<StormFigure> => {
        const echo = await startEcho(bridge);
        try {
          const r = await bridge.run({ cmd: 'inits', legIds, graceMs: GRACE_MS });
          if (r.answered !== LEGS) throw new Error(`echo: ${r.answered} of ${LEGS} inits answered`);
          return { ms: r.ms, p99: quantile(r.latenciesMs, 0.99) };
        } finally {
          await echo.close();
          await pause();
        }
      },
      client: async (): Promise<StormFigure> => {
        const client = await startClient(bridge, phone);
        try {
          const first = await bridge.run({ cmd: 'inits', legIds, graceMs: GRACE_MS });
          if (first.answered !== LEGS) throw new Error(`client: ${first.answered} of ${LEGS} first inits answered`);
          await pause();
          const seen = bridge.connections;
          await bridge.drop();
          await bridge.connectionAfter(seen);
          const r = await bridge.run({ cmd: 'inits', legIds, graceMs: GRACE_MS });
          if (r.answered !== LEGS || r.failed !== 0) throw new Error(`client: ${r.answered} of ${LEGS} re-inits answered, ${r.failed} failed`);
          return { ms: r.ms, p99: quantile(r.latenciesMs, 0.99) };
        } finally {
          await client.close();
          await pause();
        }
      },
    })) as { echo: StormFigure[]; client: StormFigure[] };
    const ms = (f: StormFigure[]): number[] => f.map((x) => x.ms);
    const ratio = medianRatio(ms(figures.client), ms(figures.echo));
    console.log(`\n## Reconnect storm (${LEGS} legs re-initialised at once, ${ROUNDS} rounds)\n\n${machineLine()}\n`);
    console.log(
      table(
        ['contender', 'first init written → last answer read', 'inits/s', 'p99 per init'],
        [
          ['raw framed echo', fmt.ms(median(ms(figures.echo))), fmt.rate((LEGS / median(ms(figures.echo))) * 1000), fmt.ms(median(figures.echo.map((f) => f.p99)))],
          ['client (re-init after a drop)', fmt.ms(median(ms(figures.client))), fmt.rate((LEGS / median(ms(figures.client))) * 1000), fmt.ms(median(figures.client.map((f) => f.p99)))],
          ['client ÷ echo (median of rounds)', fmt.ratio(ratio), '', ''],
        ],
      ),
    );
    const summary = { echoMs: median(ms(figures.echo)), clientMs: median(ms(figures.client)), clientVsEcho: ratio };
    const file = writeResult('reconnect-storm', { rounds: ROUNDS, legs: LEGS, figures, summary });
    console.log(`\nresults: ${file}`);
    return summary;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await storm();
