/**
 * The fuzz corpus: a seeded stream of hostile frames for the client, each with what it is owed.
 * A frame is owed exactly one answer when it decodes to an object whose header holds string
 * type, name, target and requestId and whose type is cti.query or cti.request (docs/contract.md,
 * rule 1); every other frame is owed nothing. The generator knows which it made, and the test
 * counts answers per requestId against that.
 */
import { frame } from '../support/hostile-bridge.js';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzFrame {
  readonly bytes: Buffer;
  /** The requestId this frame is owed an answer under; undefined when it is owed none. */
  readonly owed?: string;
  /** For frames owed nothing: a requestId that must never be answered, when the frame carries one. */
  readonly never?: string;
  readonly kind: string;
}

const DEEP = '\u0000deep\u0000';

const REQUESTS = ['hold', 'retrieve', 'mute', 'unmute', 'answer', 'senddtmf', 'removeparty', 'transfer', 'conference'];

export interface CorpusOptions {
  readonly seed: number;
  /** Leg ids the phone has now (targets end with them); asked for each frame. */
  readonly legs: () => readonly string[];
  /** How often a frame carries a string of 100 KB to 1 MB (default 1 in 2000). */
  readonly hugeEvery?: number;
}

/** An endless generator of fuzz frames; the caller takes as many as it wants. */
export function* corpus(options: CorpusOptions): Generator<FuzzFrame> {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;
  let serial = 0;
  const recent: string[] = [];
  const hugeEvery = options.hugeEvery ?? 2000;
  const huge = (): string => 'h'.repeat(100_000 + Math.floor(random() * 800_000));
  const text = (): string => {
    const choices = ['', 'x', '\u0000\n\r\u001b[2J', '\ud800', '\u2028', '__proto__', 'constructor', 'toString', '💥'.repeat(3), 'a.b.c'];
    return pick(choices) + (chance(0.3) ? String(serial) : '');
  };
  const target = (): string => {
    const r = random();
    if (r < 0.7) return `PB1.AGENT.1001.TEL.${pick(options.legs())}`;
    if (r < 0.8) return `PB1.${pick(['nope', 'leg-404', '', '.', '__proto__'])}`;
    if (r < 0.9) return text();
    return `PB1.${'t'.repeat(Math.floor(random() * 2000))}.${pick(options.legs())}`;
  };
  const requestId = (): string => {
    const r = random();
    // Duplicates, under the same name or another: each frame is still owed its own answer.
    if (r < 0.05 && recent.length > 0) return pick(recent);
    if (r < 0.07) return 'r'.repeat(200 + Math.floor(random() * 400));
    const id = `f-${options.seed}-${serial}`;
    recent.push(id);
    if (recent.length > 64) recent.shift();
    return id;
  };
  const name = (): string => {
    const r = random();
    if (r < 0.08) return 'conversation.query.init';
    if (r < 0.795) return `conversation.request.${pick(REQUESTS)}`;
    if (r < 0.8) return `conversation.request.${pick(['release', 'dispose'])}`;
    if (r < 0.85) return pick(['interaction.request.accept', 'cti.query.capabilities', 'conversation', '', 'conversation.request.__proto__']);
    if (r < 0.9) return `conversation.request.${'n'.repeat(100 + Math.floor(random() * 300))}`;
    return text();
  };
  const body = (request: string): unknown => {
    const r = random();
    if (r < 0.05) return null;
    if (r < 0.08) return [];
    if (r < 0.1) return 'body';
    if (r < 0.12) return JSON.parse('{"__proto__":{"digits":"1"},"constructor":{"prototype":{}}}');
    if (r < 0.13) return { deep: DEEP };
    switch (request) {
      case 'senddtmf':
        return { digits: pick(['1', '123#', '12a', '', '9'.repeat(80), 1234]) };
      case 'removeparty':
        return { number: pick(['+15550001', '', '\u0001', 'n'.repeat(300)]) };
      case 'transfer':
      case 'conference':
        return { destination: pick(['2001', '+15551234567', 'sip:carol@example.test', 'bad dest', '']) };
      default:
        return chance(0.1) ? { extra: text() } : {};
    }
  };
  /** Deep nesting is written as text: JSON.stringify itself would overflow the stack. */
  const withDeep = (message: unknown): Buffer => {
    const json = JSON.stringify(message);
    if (!json.includes(`"${DEEP}"`)) return frame(message);
    const depth = 1 + Math.floor(random() * 100_000);
    const text = json.replace(`"${DEEP}"`, `${'['.repeat(depth)}0${']'.repeat(depth)}`);
    const content = Buffer.from(text);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(content.length, 0);
    return Buffer.concat([prefix, content]);
  };

  while (true) {
    serial++;
    const r = random();
    if (r < 0.06) {
      // Bytes that are no usable frame: owed nothing.
      const which = Math.floor(random() * 6);
      const content =
        which === 0
          ? Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe])
          : which === 1
            ? Buffer.from('{"header": {"type": "cti.request",')
            : which === 2
              ? Buffer.from(JSON.stringify([1, 2, 3]))
              : which === 3
                ? Buffer.from('null')
                : which === 4
                  ? Buffer.alloc(0)
                  : Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(content.length, 0);
      yield { bytes: Buffer.concat([prefix, content]), kind: 'garbage' };
      continue;
    }
    const id = requestId();
    if (r < 0.12) {
      // A header that is not routable: owed nothing (a response, an event, a missing or odd field).
      const never = `never-${options.seed}-${serial}`;
      const variants: unknown[] = [
        { header: { type: 'cti.response', name: 'conversation.request.hold', target: target(), requestId: never, result: 'SUCCESS' }, body: {} },
        { header: { type: 'cti.event', name: 'conversation.ringing', target: target(), requestId: never }, body: {} },
        { header: { type: 'cti.request', name: 'conversation.request.hold', target: 7, requestId: never }, body: {} },
        { header: { type: 'cti.request', name: null, target: target(), requestId: never }, body: {} },
        { header: { type: 'cti.request', name: 'conversation.request.hold', target: target() }, body: {} },
        { header: JSON.parse(`{"__proto__":{"type":"cti.request","name":"conversation.request.hold","target":"A.x","requestId":"${never}"}}`), body: {} },
        { header: [], body: {} },
        { body: {} },
      ];
      yield { bytes: frame(pick(variants)), never, kind: 'unroutable' };
      continue;
    }
    const n = name();
    const short = n.slice(n.lastIndexOf('.') + 1);
    const type = n.includes('.query.') ? 'cti.query' : 'cti.request';
    const header: Record<string, unknown> = { type, name: n, target: target(), requestId: id };
    if (chance(0.02)) header['extra'] = text();
    const message: Record<string, unknown> = { header, body: body(short) };
    if (serial % hugeEvery === 0) {
      const field = pick(['name', 'target', 'requestId', 'body']);
      if (field === 'body') message['body'] = { pad: huge() };
      else header[field] = field === 'target' ? `${huge()}.${pick(options.legs())}` : huge();
    }
    yield { bytes: withDeep(message), owed: String(header['requestId']), kind: type };
  }
}
