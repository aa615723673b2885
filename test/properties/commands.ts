/**
 * The commands of the model-based runs and their arbitraries: bridge frames (init, the eleven
 * requests with good and bad bodies, repeated frames, malformed frames), phone events, the
 * release of pending phone timers in a scheduler-chosen order, the simulated clock, connection
 * loss, and quiet moments. Each command acts on the World, whose recorders check the invariants.
 */
import fc from 'fast-check';
import { REQUEST_NAMES } from '../../generated/catalogue.js';
import type { LegOperationName, PhoneEvent } from '../../src/phone/types.js';
import { TARGETS, type ContractModel, type Outcome, type World, type WorldSetup } from './world.js';

type Command = fc.AsyncCommand<ContractModel, World>;

abstract class WorldCommand implements Command {
  check(): boolean {
    return true;
  }
  abstract run(model: ContractModel, world: World): Promise<void>;
  abstract toString(): string;
}

/** A well-formed query or request the bridge sends; `id` is fresh unless the frame is replayed. */
class SendFrame extends WorldCommand {
  constructor(
    readonly kind: 'cti.query' | 'cti.request',
    readonly name: string,
    readonly targetIndex: number,
    readonly body: unknown,
    readonly asText: boolean,
  ) {
    super();
  }
  async run(model: ContractModel, world: World): Promise<void> {
    const requestId = `r-${model.nextRequest++}`;
    const frame: Record<string, unknown> = {
      header: { type: this.kind, name: this.name, target: TARGETS[this.targetIndex], requestId },
    };
    if (this.body !== undefined) frame.body = this.body;
    world.receive(this.asText ? JSON.stringify(frame) : frame, this.toString());
  }
  toString(): string {
    const short = this.name.replace(/^conversation\.(query|request)\./, '');
    return `${short}${this.targetIndex === 0 ? '' : '@T2'} ${JSON.stringify(this.body) ?? '(no body)'}${this.asText ? ' as text' : ''}`;
  }
}

/** The bridge sends again a frame it sent before (same requestId, name, target and body). */
class RepeatFrame extends WorldCommand {
  constructor(readonly pick: number) {
    super();
  }
  override check(): boolean {
    return true;
  }
  async run(_model: ContractModel, world: World): Promise<void> {
    if (world.frames.length === 0) return;
    const earlier = world.frames[this.pick % world.frames.length]!;
    world.receive(structuredClone(earlier.frame), `repeat ${earlier.name} ${earlier.requestId}`);
  }
  toString(): string {
    return `repeat frame #${this.pick}`;
  }
}

/** A frame outside the envelope (no response owed) or a well-formed one with odd content. */
class SendMalformed extends WorldCommand {
  constructor(readonly label: string, readonly make: (requestId: string) => unknown) {
    super();
  }
  async run(model: ContractModel, world: World): Promise<void> {
    world.receive(this.make(`m-${model.nextRequest++}`), `malformed: ${this.label}`);
  }
  toString(): string {
    return `malformed(${this.label})`;
  }
}

class PhoneReports extends WorldCommand {
  constructor(readonly event: PhoneEvent) {
    super();
  }
  async run(_model: ContractModel, world: World): Promise<void> {
    world.emit(this.event);
  }
  toString(): string {
    return `phone ${JSON.stringify(this.event)}`;
  }
}

class ReleaseTimers extends WorldCommand {
  constructor(readonly count: number) {
    super();
  }
  async run(_model: ContractModel, world: World): Promise<void> {
    await world.releaseTimers(this.count);
  }
  toString(): string {
    return `release ${this.count} phone timers`;
  }
}

class AdvanceClock extends WorldCommand {
  constructor(readonly ms: number) {
    super();
  }
  async run(_model: ContractModel, world: World): Promise<void> {
    await world.advance(this.ms);
  }
  toString(): string {
    return `clock +${this.ms} ms`;
  }
}

class ConnectionLost extends WorldCommand {
  async run(_model: ContractModel, world: World): Promise<void> {
    world.connectionLost();
  }
  toString(): string {
    return 'connection lost';
  }
}

class Quiesce extends WorldCommand {
  async run(_model: ContractModel, world: World): Promise<void> {
    await world.quiesce();
  }
  toString(): string {
    return 'quiet moment';
  }
}

const PARTY_NUMBERS = ['+15551230001', '2001', '2002'] as const;

const requestBody = (name: string): fc.Arbitrary<unknown> => {
  const plain = fc.constantFrom<unknown>({}, undefined, null, { extra: 'ignored' });
  switch (name) {
    case 'conversation.request.transfer':
    case 'conversation.request.conference':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('2001', '+15550002', 'sip:bob@example.com', '*72#').map((destination) => ({ destination })) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { destination: '' }, { destination: 'abc' }, { destination: 7 }, null) },
      );
    case 'conversation.request.senddtmf':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('1', '1234#', '*0', '9'.repeat(64)).map((digits) => ({ digits })) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { digits: '12a' }, { digits: '' }, { digits: 5 }, { digits: '1'.repeat(65) }) },
      );
    case 'conversation.request.removeparty':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...PARTY_NUMBERS, '9999').map((number) => ({ number })) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { number: '' }, { number: 7 }, { number: '\u0001' }) },
      );
    default:
      return plain;
  }
};

const targetIndex = fc.oneof({ weight: 19, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });

const initCommand = fc
  .tuple(targetIndex, fc.boolean())
  .map(([target, asText]) => new SendFrame('cti.query', 'conversation.query.init', target, {}, asText));

/** Dispose and release end a run's interest early, so they come less often than the rest. */
const requestName = fc.oneof(
  ...REQUEST_NAMES.map((name) => ({
    weight:
      name === 'conversation.request.dispose' ? 1 : name === 'conversation.request.release' ? 2 : name === 'conversation.request.answer' ? 12 : 6,
    arbitrary: fc.constant(name),
  })),
);

const requestCommand = requestName
  .chain((name) => fc.tuple(fc.constant(name), targetIndex, requestBody(name), fc.boolean()))
  .map(([name, target, body, asText]) => new SendFrame('cti.request', name, target, body, asText));

const malformedCommand = fc.constantFrom<[string, (requestId: string) => unknown]>(
  ['not JSON', () => '{"header": {"type": "cti.request",'],
  ['a JSON array', () => '[1, 2, 3]'],
  ['null', () => null],
  ['a number', () => 42],
  ['no header', () => ({ body: {} })],
  ['a header that is a string', () => ({ header: 'cti.request', body: {} })],
  ['no type', (id) => ({ header: { name: 'conversation.request.hold', target: TARGETS[0], requestId: id } })],
  ['an event type', (id) => ({ header: { type: 'cti.event', name: 'conversation.request.hold', target: TARGETS[0], requestId: id } })],
  ['a response type', (id) => ({ header: { type: 'cti.response', name: 'conversation.request.hold', target: TARGETS[0], requestId: id } })],
  ['no name', (id) => ({ header: { type: 'cti.request', target: TARGETS[0], requestId: id } })],
  ['a numeric requestId', () => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target: TARGETS[0], requestId: 7 } })],
  ['no target', (id) => ({ header: { type: 'cti.request', name: 'conversation.request.hold', requestId: id } })],
  ['an unknown request name', (id) => ({ header: { type: 'cti.request', name: 'conversation.request.park', target: TARGETS[0], requestId: id }, body: {} })],
  ['an unknown query name', (id) => ({ header: { type: 'cti.query', name: 'conversation.query.state', target: TARGETS[0], requestId: id } })],
  ['a request sent as a query', (id) => ({ header: { type: 'cti.query', name: 'conversation.request.hold', target: TARGETS[0], requestId: id } })],
  ['another leg\'s target', (id) => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target: 'PB1.OTHER.leg-A', requestId: id } })],
  ['a body that is a string', (id) => ({ header: { type: 'cti.request', name: 'conversation.request.senddtmf', target: TARGETS[0], requestId: id }, body: '1234' })],
  ['an empty requestId', () => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target: TARGETS[0], requestId: '' } })],
  ['a requestId of 300 characters', () => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target: TARGETS[0], requestId: 'x'.repeat(300) } })],
  ['__proto__ keys', (id) => JSON.parse(`{"header": {"type": "cti.request", "name": "conversation.request.hold", "target": "${TARGETS[0]}", "requestId": "${id}", "__proto__": {"x": 1}}, "body": {"__proto__": {"digits": "1"}}}`) as unknown],
).map(([label, make]) => new SendMalformed(label, make));

const partyArbitrary = fc.constantFrom(
  { number: '+15551230001', name: 'Pat Caller' },
  { number: '2001', name: 'Supervisor' },
  { number: '2002' },
);

/** Every phone event type; the ones that end the call come less often. */
export const phoneEventArbitrary: fc.Arbitrary<PhoneEvent> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom<PhoneEvent>(
      { type: 'ringing' },
      { type: 'dialing' },
      { type: 'started' },
      { type: 'talking' },
      { type: 'talking' },
      { type: 'held' },
      { type: 'muted' },
      { type: 'unmuted' },
      { type: 'transferFailed', reason: 'no answer at 2099' },
      { type: 'conferenceFailed', reason: 'rejected by 2001' },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<PhoneEvent>(
      { type: 'busy' },
      { type: 'failed', reason: 'no route to the number' },
      { type: 'ended' },
      { type: 'ended', reason: 'the far end hung up' },
    ),
  },
  { weight: 2, arbitrary: partyArbitrary.map((party): PhoneEvent => ({ type: 'partyAdded', party })) },
  { weight: 2, arbitrary: fc.constantFrom(...PARTY_NUMBERS).map((number): PhoneEvent => ({ type: 'partyRemoved', number })) },
);

/** Events no phone should send: unknown types, missing or mistyped fields, not objects. */
const oddPhoneEventArbitrary = fc.constantFrom<unknown>(
  null,
  'talking',
  { type: 'bogus' },
  { type: 'partyAdded' },
  { type: 'partyAdded', party: { number: 5 } },
  { type: 'partyAdded', party: { number: '' } },
  { type: 'partyAdded', party: { number: 'x'.repeat(5000), name: '\u0000bell\u0007' } },
  { type: 'partyRemoved' },
  { type: 'failed' },
  { type: 'transferFailed', reason: 42 },
  { type: 'ended', reason: { nested: true } },
);

/**
 * Every command, weighted so calls progress: requests and timers are the common case. With
 * `oddPhoneEvents` the phone also sends malformed events (for invariant 7 only: what the model
 * should make of them is not the contract's to say).
 */
export const worldCommands = (options: { oddPhoneEvents: boolean } = { oddPhoneEvents: false }) => fc.commands(
  [
    ...(options.oddPhoneEvents ? [oddPhoneEventArbitrary.map((event) => new PhoneReports(event as PhoneEvent))] : []),
    initCommand,
    initCommand,
    requestCommand,
    requestCommand,
    requestCommand,
    requestCommand,
    fc.nat(64).map((pick) => new RepeatFrame(pick)),
    malformedCommand,
    phoneEventArbitrary.map((event) => new PhoneReports(event)),
    phoneEventArbitrary.map((event) => new PhoneReports(event)),
    fc.integer({ min: 1, max: 3 }).map((count) => new ReleaseTimers(count)),
    fc.integer({ min: 1, max: 3 }).map((count) => new ReleaseTimers(count)),
    fc.constantFrom(1, 500, 999, 1_000, 1_001, 7_000).map((ms) => new AdvanceClock(ms)),
    fc.constant(new ConnectionLost()),
    fc.constant(new Quiesce()),
  ],
  { maxCommands: Number(process.env.CTI_PROPERTY_MAX_COMMANDS ?? 50), size: 'max' },
);

const outcomeArbitrary = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Outcome>('resolve') },
  { weight: 1, arbitrary: fc.constantFrom<Outcome>('reject', 'hang', 'throw') },
);

const OPTIONAL: readonly LegOperationName[] = ['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'];

export const worldSetupArbitrary: fc.Arbitrary<WorldSetup> = fc.record({
  initial: fc.constantFrom('RINGING', 'RINGING', 'DIALING', 'TALKING', 'TALKING', 'HELD', 'TALKING muted', 'HELD muted', 'RELEASED'),
  withTarget: fc.boolean(),
  initFirst: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  outcomes: fc.array(outcomeArbitrary, { minLength: 1, maxLength: 12 }),
  omit: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray([...OPTIONAL]) }),
  transferSucceeds: fc.boolean(),
  conferenceJoins: fc.boolean(),
  preInitLimit: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
});
