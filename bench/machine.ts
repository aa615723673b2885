/**
 * `npm run bench:machine`: what the conversation statechart costs per request (request in,
 * operation outcome in: two sends) and per phone event, beside the same rules as a plain reducer
 * (`step` from machines/step.ts, no XState) and a hand-written switch reducer that keeps only the
 * call state, the mute flag and one pending request, on the same traces. It also measures the
 * choice the issue asked about: mute as a parallel region against mute as a context flag.
 *
 * `npm run bench:machine -- --write` also writes the figures into BENCHMARKS.md ("Machine").
 * Method (tooling.md section 2): a warm-up run, then 5 timed runs with gc() before each, median.
 */
import { cpus } from 'node:os';
import { writeBenchmarkSection } from './support/benchmarks-file.js';
import { assign, createActor, setup } from 'xstate';
import { conversationMachine } from '../machines/conversation.machine.js';
import { initialContext, step, type ConversationContext, type ConversationEvent, type ConversationInput } from '../machines/step.js';

const TARGET = 'PB1.S-1.G-1.TEL.I-1.leg-1';
const input: ConversationInput = { snapshot: { state: 'TALKING', parties: [{ number: '+15551230001', name: 'Pat' }], muted: false } };
let counter = 0;
const request = (short: string, body?: Record<string, unknown>): ConversationEvent => ({
  type: 'request',
  header: {
    type: short === 'init' ? 'cti.query' : 'cti.request',
    name: short === 'init' ? 'conversation.query.init' : `conversation.request.${short}`,
    target: TARGET,
    requestId: `b-${(counter += 1)}`,
  },
  ...(body && { body }),
});

/** Requests that call the phone, each followed by its outcome: hold, retrieve, mute, unmute, dtmf. */
function requestTrace(cycles: number, firstOpId: number): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  let opId = firstOpId;
  for (let i = 0; i < cycles; i += 1) {
    for (const [short, body] of [['hold'], ['conference', { destination: '2001' }], ['transfer', { destination: '2002' }], ['senddtmf', { digits: '12#' }]] as const) {
      events.push(request(short, body as Record<string, unknown> | undefined));
      events.push({ type: 'operation.settled', opId: opId++, ok: true });
    }
  }
  return events;
}

/** Phone events that change state and send events: held, talking, muted, unmuted. */
function phoneTrace(cycles: number): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  for (let i = 0; i < cycles; i += 1) for (const type of ['held', 'talking', 'muted', 'unmuted'] as const) events.push({ type: 'phone', event: { type } });
  return events;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
/** µs per unit of `run`, median of 5 timed runs after one warm-up. */
function measure(units: number, run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    gc();
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1000 / units);
  }
  return median(times);
}

const CYCLES = 2_000;

// --- the XState machine (as the destination runs it: an emit listener, no inspection) ---------
function xstateRun(trace: ConversationEvent[]): () => void {
  return () => {
    const actor = createActor(conversationMachine, { input });
    actor.on('*', () => undefined);
    actor.start();
    actor.send(request('init'));
    for (const event of trace) actor.send(event);
    actor.stop();
  };
}

// --- the same rules without XState ---------------------------------------------------------
function stepRun(trace: ConversationEvent[]): () => void {
  return () => {
    let context: ConversationContext = step(initialContext(input), request('init')).context;
    for (const event of trace) context = step(context, event).context;
  };
}

// --- a hand-written switch reducer: call state, mute flag, one pending request --------------
interface Tiny {
  readonly state: string;
  readonly muted: boolean;
  readonly pending: string | null;
  readonly out: number;
}
function tiny(s: Tiny, event: ConversationEvent): Tiny {
  switch (event.type) {
    case 'request':
      return s.pending === null ? { ...s, pending: event.header.requestId } : s;
    case 'operation.settled':
      return { ...s, pending: null, out: s.out + 1 };
    case 'phone':
      switch (event.event.type) {
        case 'held':
          return s.state === 'TALKING' ? { ...s, state: 'HELD', out: s.out + 1 } : s;
        case 'talking':
          return s.state !== 'TALKING' ? { ...s, state: 'TALKING', out: s.out + 1 } : s;
        case 'muted':
          return s.muted ? s : { ...s, muted: true, out: s.out + 1 };
        case 'unmuted':
          return s.muted ? { ...s, muted: false, out: s.out + 1 } : s;
        default:
          return s;
      }
    default:
      return s;
  }
}
function tinyRun(trace: ConversationEvent[]): () => void {
  return () => {
    let s: Tiny = { state: 'TALKING', muted: false, pending: null, out: 0 };
    for (const event of trace) s = tiny(s, event);
    if (s.out < 0) throw new Error('unreachable');
  };
}

// --- mute: a region or a flag (two otherwise equal skeletons) --------------------------------
type MuteEvent = { type: 'muted' } | { type: 'unmuted' } | { type: 'tick' };
const withFlag = setup({ types: { context: {} as { muted: boolean; n: number }, events: {} as MuteEvent } }).createMachine({
  type: 'parallel',
  context: { muted: false, n: 0 },
  states: {
    lifecycle: { initial: 'ready', states: { ready: { on: {
      muted: { actions: assign({ muted: true, n: ({ context }) => context.n + 1 }) },
      unmuted: { actions: assign({ muted: false, n: ({ context }) => context.n + 1 }) },
    } } } },
    operation: { initial: 'idle', states: { idle: {}, running: {} } },
  },
});
const withRegion = setup({ types: { context: {} as { n: number }, events: {} as MuteEvent } }).createMachine({
  type: 'parallel',
  context: { n: 0 },
  states: {
    lifecycle: { initial: 'ready', states: { ready: {} } },
    operation: { initial: 'idle', states: { idle: {}, running: {} } },
    mute: { initial: 'off', states: {
      off: { on: { muted: { target: 'on', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
      on: { on: { unmuted: { target: 'off', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
    } },
  },
});
function muteRun(machine: typeof withFlag | typeof withRegion, sends: number): () => void {
  return () => {
    const actor = createActor(machine as typeof withFlag).start();
    for (let i = 0; i < sends; i += 1) actor.send({ type: i % 2 === 0 ? 'muted' : 'unmuted' });
    actor.stop();
  };
}

const requests = requestTrace(CYCLES, 1);
const phone = phoneTrace(CYCLES);
const requestUnits = requests.length / 2; // a request and its outcome
const phoneUnits = phone.length;

const figures = {
  request: { xstate: measure(requestUnits, xstateRun(requests)), step: measure(requestUnits, stepRun(requests)), tiny: measure(requestUnits, tinyRun(requests)) },
  phone: { xstate: measure(phoneUnits, xstateRun(phone)), step: measure(phoneUnits, stepRun(phone)), tiny: measure(phoneUnits, tinyRun(phone)) },
  actor: measure(1_000, () => {
    for (let i = 0; i < 1_000; i += 1) createActor(conversationMachine, { input }).start().stop();
  }),
  muteFlag: measure(20_000, muteRun(withFlag, 20_000)),
  muteRegion: measure(20_000, muteRun(withRegion, 20_000)),
};

const f = (us: number) => (us >= 10 ? us.toFixed(1) : us.toFixed(2));
const machineLine = `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores), xstate production build, median of 5 runs`;
const table = [
  '| per | XState machine | same rules, no XState (`step`) | hand-written switch reducer |',
  '|---|---|---|---|',
  `| request → response (2 sends: request, outcome) | ${f(figures.request.xstate)} µs | ${f(figures.request.step)} µs | ${f(figures.request.tiny)} µs |`,
  `| phone event (held, talking, muted, unmuted) | ${f(figures.phone.xstate)} µs | ${f(figures.phone.step)} µs | ${f(figures.phone.tiny)} µs |`,
].join('\n');
const extra = [
  `- creating, starting and stopping one conversation actor: ${f(figures.actor)} µs`,
  `- mute as a context flag: ${f(figures.muteFlag)} µs per send; as a third parallel region: ${f(figures.muteRegion)} µs per send (same skeleton otherwise), so the machine keeps a flag`,
].join('\n');

console.log(machineLine);
console.log(table);
console.log(extra);

if (process.argv.includes('--write')) {
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  const section = [
    '## Machine',
    '',
    '`npm run bench:machine` (add `-- --write` to update this section). One conversation machine per',
    'run, driven by the same trace three ways: the XState actor as the destination runs it (an emit',
    'listener, no inspection), the same rules called as a plain reducer (`step` in machines/step.ts),',
    'and a hand-written switch reducer that keeps only the call state, the mute flag and one pending',
    `request. ${CYCLES} cycles of hold, conference, transfer and senddtmf (each request and its outcome),`,
    `and ${CYCLES} cycles of held, talking, muted, unmuted.`,
    '',
    `${machineLine}.`,
    '',
    table,
    '',
    extra,
    '',
  ].join('\n');
  writeBenchmarkSection(path, '## Machine', section);
  console.log('wrote the "Machine" section of BENCHMARKS.md');
}
