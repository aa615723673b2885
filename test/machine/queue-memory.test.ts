/**
 * The leg's request queue (machines/queue.ts) and the requestId memory (machines/memory.ts) on
 * their own: the byte and count bounds at their edges, what each charge is, compaction of their
 * arrays (the layout the O(1) design promises, read through their private fields), and clones that
 * share nothing.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RequestMemory, responseBytes } from '../../machines/memory.js';
import { respond, type RequestHeader, type ResponseMessage } from '../../machines/messages.js';
import { askerBytes, LegQueue, pendingBytes, type Asker, type Pending } from '../../machines/queue.js';

const header = (requestId: string, name = 'conversation.request.hold', target = 'T'): RequestHeader => ({ type: 'cti.request', name, target, requestId });
const pending = (requestId: string, args: string[] = [], sharers: Asker[] = []): Pending => ({
  header: header(requestId),
  epoch: 0,
  request: 'hold',
  args,
  sharers,
});
/** Base charge of a pending request with name 'conversation.request.hold' (25), target 'T' (1), requestId of length n. */
const base = (n: number) => 128 + 2 * (25 + 1 + n);

interface QueueInside {
  items: unknown[];
  head: number;
}
const inside = (q: LegQueue) => q as unknown as QueueInside;

describe('LegQueue charges', () => {
  it('askerBytes is 128 plus 2 bytes per UTF-16 unit of name, target and requestId', () => {
    expect(askerBytes({ header: header('abc'), epoch: 0 })).toBe(128 + 2 * (25 + 1 + 3));
    expect(askerBytes({ header: header('', 'n', ''), epoch: 3 })).toBe(130);
    expect(askerBytes({ header: header('r', 'nn', 'ttt'), epoch: 0 })).toBe(128 + 12);
  });

  it('pendingBytes adds 2 bytes per unit of each argument', () => {
    expect(pendingBytes(pending('a'))).toBe(base(1));
    expect(pendingBytes(pending('a', ['12', '345']))).toBe(base(1) + 10);
    // Sharers are not part of the pending request's own charge.
    expect(pendingBytes(pending('a', [], [{ header: header('b'), epoch: 0 }]))).toBe(base(1));
  });

  it('bytes follow push, join and shift exactly, sharers included', () => {
    const q = new LegQueue(10, 100_000);
    expect(q.bytes).toBe(0);
    const p = pending('a', ['99']);
    q.push(p);
    expect(q.bytes).toBe(base(1) + 4);
    const sharer = { header: header('bb'), epoch: 1 };
    q.join(p, sharer);
    expect(p.sharers).toEqual([sharer]);
    expect(q.bytes).toBe(base(1) + 4 + base(2));
    q.push(pending('c'));
    expect(q.bytes).toBe(base(1) + 4 + base(2) + base(1));
    expect(q.shift()).toBe(p);
    expect(q.bytes).toBe(base(1));
    expect(q.size).toBe(1);
  });
});

describe('LegQueue bounds', () => {
  it('fits: count and bytes both up to and including the bound', () => {
    const one = base(1);
    const q = new LegQueue(2, 2 * one);
    expect(q.fits(one)).toBe(true);
    expect(q.fits(2 * one)).toBe(true);
    expect(q.fits(2 * one + 1)).toBe(false);
    expect(q.fits(0, 2)).toBe(true);
    expect(q.fits(0, 3)).toBe(false);
    q.push(pending('a'));
    expect(q.fits(one)).toBe(true); // exactly at both bounds
    expect(q.fits(one + 1)).toBe(false);
    expect(q.fits(0, 2)).toBe(false);
    q.push(pending('b'));
    expect(q.fits(0)).toBe(false); // the count bound
    expect(q.fits(0, 0)).toBe(true);
  });

  it('a zero-sized queue fits nothing', () => {
    const q = new LegQueue(0, 1000);
    expect(q.fits(0)).toBe(false);
    expect(new LegQueue(5, 0).fits(1)).toBe(false);
    expect(new LegQueue(5, 0).fits(0)).toBe(true);
  });
});

describe('LegQueue order and lookup', () => {
  it('shifts oldest first, finds by name and requestId, forgets what it shifted', () => {
    const q = new LegQueue(10, 100_000);
    expect(q.shift()).toBeUndefined();
    const a = pending('a');
    const b = pending('b');
    q.push(a);
    q.push(b);
    expect(q.find(header('a'))).toBe(a);
    expect(q.find(header('b'))).toBe(b);
    expect(q.find(header('a', 'conversation.request.retrieve'))).toBeUndefined();
    expect(q.find(header('c'))).toBeUndefined();
    expect(q.toArray()).toEqual([a, b]);
    expect(q.toJSON()).toEqual([a, b]);
    expect(JSON.parse(JSON.stringify(q))).toEqual([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
    expect(q.shift()).toBe(a);
    expect(q.find(header('a'))).toBeUndefined();
    expect(q.toArray()).toEqual([b]);
    expect(q.shift()).toBe(b);
    expect(q.shift()).toBeUndefined();
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
  });

  it('one requestId under two names is two requests: each found by its name, shifted in turn, cloned apart, drained', () => {
    const q = new LegQueue(10, 100_000);
    const hold = pending('same');
    const retrieve: Pending = { ...pending('same'), header: header('same', 'conversation.request.retrieve'), request: 'retrieve' };
    q.push(hold);
    q.push(retrieve);
    expect(q.find(header('same'))).toBe(hold);
    expect(q.find(header('same', 'conversation.request.retrieve'))).toBe(retrieve);
    expect(q.find(header('same', 'conversation.request.mute'))).toBeUndefined();
    const copy = q.clone();
    expect(q.shift()).toBe(hold);
    expect(q.find(header('same'))).toBeUndefined();
    expect(q.find(header('same', 'conversation.request.retrieve'))).toBe(retrieve);
    // A new hold under the freed requestId is found again; the retrieve still is.
    const again = pending('same');
    q.push(again);
    expect(q.find(header('same'))).toBe(again);
    expect(q.shift()).toBe(retrieve);
    expect(q.find(header('same', 'conversation.request.retrieve'))).toBeUndefined();
    expect(q.find(header('same'))).toBe(again);
    // The copy kept both; drained, it finds neither.
    expect(copy.find(header('same', 'conversation.request.retrieve'))?.header.name).toBe('conversation.request.retrieve');
    expect(copy.drain().map((p) => p.request)).toEqual(['hold', 'retrieve']);
    expect(copy.find(header('same', 'conversation.request.retrieve'))).toBeUndefined();
    expect(copy.find(header('same'))).toBeUndefined();
  });

  it('drain empties it and returns what it held, oldest first', () => {
    const q = new LegQueue(10, 100_000);
    const a = pending('a', ['1']);
    const b = pending('b');
    q.push(a);
    q.push(b);
    q.join(a, { header: header('a2'), epoch: 0 });
    expect(q.drain()).toEqual([a, b]);
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.find(header('a'))).toBeUndefined();
    expect(q.drain()).toEqual([]);
    expect(q.fits(base(1), 10)).toBe(true);
  });

  it('emptying it by shifts resets its array', () => {
    const q = new LegQueue(10, 100_000);
    q.push(pending('a'));
    q.push(pending('b'));
    q.shift();
    expect(inside(q).head).toBe(1);
    q.shift();
    expect(inside(q).head).toBe(0);
    expect(inside(q).items).toEqual([]);
  });

  it('compacts its array once 64 slots before the head are dead and they are at least half of it', () => {
    const q = new LegQueue(1000, 10_000_000);
    q.push(pending('first'));
    // One always waiting: push one, shift one.
    for (let i = 0; i < 63; i++) {
      q.push(pending(`p${i}`));
      q.shift();
    }
    expect(inside(q).head).toBe(63);
    expect(inside(q).items).toHaveLength(64);
    q.push(pending('p63'));
    q.shift();
    expect(inside(q).head).toBe(0);
    expect(inside(q).items).toHaveLength(1);
    expect(q.toArray().map((p) => p.header.requestId)).toEqual(['p63']);
    expect(q.find(header('p63'))).toBeDefined();
  });

  it('compacts when the dead slots are exactly half of the array, not before', () => {
    const q = new LegQueue(1000, 10_000_000);
    for (let i = 0; i < 129; i++) q.push(pending(`p${i}`));
    for (let i = 0; i < 64; i++) q.shift();
    // 64 dead of 129: less than half.
    expect(inside(q).head).toBe(64);
    q.shift();
    // 65 dead of 129: more than half.
    expect(inside(q).head).toBe(0);
    expect(inside(q).items).toHaveLength(64);
    const r = new LegQueue(1000, 10_000_000);
    for (let i = 0; i < 128; i++) r.push(pending(`p${i}`));
    for (let i = 0; i < 64; i++) r.shift();
    expect(inside(r).head).toBe(0);
    expect(inside(r).items).toHaveLength(64);
    expect(r.toArray()[0]?.header.requestId).toBe('p64');
    expect(r.size).toBe(64);
  });

  it('clone copies the waiting requests and their sharers, and shares nothing with the original', () => {
    const q = new LegQueue(7, 9000);
    const a = pending('a', ['1']);
    q.push(a);
    q.join(a, { header: header('a2'), epoch: 1 });
    q.push(pending('b'));
    q.shift();
    const c = q.clone();
    expect(c.maxRequests).toBe(7);
    expect(c.maxBytes).toBe(9000);
    expect(c.size).toBe(1);
    expect(c.bytes).toBe(q.bytes);
    expect(c.toArray()).toEqual(q.toArray());
    const b = c.find(header('b'));
    expect(b).toBeDefined();
    expect(b).not.toBe(q.find(header('b')));
    c.join(b as Pending, { header: header('b2'), epoch: 0 });
    expect(q.find(header('b'))?.sharers).toEqual([]);
    c.push(pending('z'));
    expect(q.size).toBe(1);
    expect(q.find(header('z'))).toBeUndefined();
    expect(q.bytes).toBe(base(1));
  });

  it('clone keeps sharers', () => {
    const q = new LegQueue(7, 9000);
    const a = pending('a');
    q.push(a);
    const s = { header: header('s'), epoch: 2 };
    q.join(a, s);
    const c = q.clone();
    expect(c.find(header('a'))?.sharers).toEqual([s]);
    expect(c.find(header('a'))?.sharers).not.toBe(a.sharers);
    c.shift();
    expect(c.bytes).toBe(0);
    expect(q.bytes).toBe(base(1) + base(1));
  });

  test.prop([fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)), { maxLength: 200 })])(
    'property: bytes always equal the sum of the waiting requests and sharers charges, and size the count waiting',
    (ops) => {
      const q = new LegQueue(1000, 10_000_000);
      let n = 0;
      for (const op of ops) {
        if (op === null) q.shift();
        else if (op.length % 3 === 0 && q.size > 0) q.join(q.toArray()[0] as Pending, { header: header(op), epoch: 0 });
        else q.push(pending(`${n++}`, [op]));
        const expected = q.toArray().reduce((sum, p) => sum + pendingBytes(p) + p.sharers.reduce((s, a) => s + askerBytes(a), 0), 0);
        expect(q.bytes).toBe(expected);
        expect(inside(q).items.length - inside(q).head).toBe(q.size);
      }
    },
  );
});

const ok = (requestId: string, name = 'conversation.request.hold', target = 'T'): ResponseMessage => respond({ type: 'cti.request', name, target, requestId }, { ok: true });
const failed = (requestId: string, errorMessage: string): ResponseMessage =>
  respond({ type: 'cti.request', name: 'conversation.request.hold', target: 'T', requestId }, { ok: false, errorMessage });

interface MemoryInside {
  order: ResponseMessage[];
  head: number;
}
const mind = (m: RequestMemory) => m as unknown as MemoryInside;
/** The ring's answers, as `name requestId`. */
const ring = (m: RequestMemory) => mind(m).order.map((response) => `${response.header.name} ${response.header.requestId}`);

describe('RequestMemory', () => {
  it('responseBytes: 96 plus 2 bytes per unit of name, target, requestId and a failure errorMessage', () => {
    expect(responseBytes(ok('abc'))).toBe(96 + 2 * (25 + 1 + 3));
    expect(responseBytes(ok('', 'n', ''))).toBe(98);
    expect(responseBytes(ok('r', 'nn', 'ttt'))).toBe(96 + 12);
    expect(responseBytes(failed('r', 'because'))).toBe(96 + 2 * (25 + 1 + 1 + 7));
    expect(responseBytes(failed('r', ''))).toBe(96 + 2 * 27);
  });

  it('recalls what it remembered, by name and requestId; keeps the first answer for a key', () => {
    const m = new RequestMemory(5, 100_000);
    const first = ok('a');
    expect(m.remember(first)).toBe(0);
    expect(m.remember(failed('a', 'later'))).toBe(0);
    expect(m.recall('conversation.request.hold', 'a')).toBe(first);
    expect(m.recall('conversation.request.retrieve', 'a')).toBeUndefined();
    expect(m.size).toBe(1);
    expect(m.bytes).toBe(responseBytes(first));
    expect(m.keys()).toEqual(['conversation.request.hold a']);
  });

  it('one requestId under two names is two answers: each recalled by its name, forgotten in turn, cloned apart', () => {
    const m = new RequestMemory(3, 100_000);
    const hold = ok('same');
    const retrieve = ok('same', 'conversation.request.retrieve');
    expect(m.remember(hold)).toBe(0);
    expect(m.remember(retrieve)).toBe(0);
    // The second answer for the second name is not kept over the first.
    expect(m.remember(failed('same', 'again'))).toBe(0);
    expect(m.recall('conversation.request.hold', 'same')).toBe(hold);
    expect(m.recall('conversation.request.retrieve', 'same')).toBe(retrieve);
    expect(m.recall('conversation.request.mute', 'same')).toBeUndefined();
    expect(m.keys()).toEqual(['conversation.request.hold same', 'conversation.request.retrieve same']);
    const c = m.clone();
    // The hold is the oldest: forgotten first, and the retrieve under the same requestId stays.
    m.remember(ok('b'));
    m.remember(ok('c'));
    expect(m.recall('conversation.request.hold', 'same')).toBeUndefined();
    expect(m.recall('conversation.request.retrieve', 'same')).toBe(retrieve);
    m.remember(ok('d'));
    expect(m.recall('conversation.request.retrieve', 'same')).toBeUndefined();
    expect(m.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c', 'conversation.request.hold d']);
    expect(m.bytes).toBe(3 * responseBytes(ok('b')));
    // The clone kept both, its own copies.
    expect(c.recall('conversation.request.hold', 'same')).toBe(hold);
    expect(c.recall('conversation.request.retrieve', 'same')).toBe(retrieve);
    expect(c.size).toBe(2);
    // Now free, the requestId is kept by itself again: a new answer for it is the plain case.
    const mute = ok('same', 'conversation.request.mute');
    m.remember(mute);
    expect(m.recall('conversation.request.mute', 'same')).toBe(mute);
  });

  it('a limit of 0 keeps nothing', () => {
    const m = new RequestMemory(0, 100_000);
    expect(m.remember(ok('a'))).toBe(0);
    expect(m.size).toBe(0);
    expect(m.bytes).toBe(0);
    expect(m.recall('conversation.request.hold', 'a')).toBeUndefined();
  });

  it('forgets the oldest past the count bound, and counts none of it as the byte bound\'s', () => {
    const m = new RequestMemory(2, 100_000);
    expect(m.remember(ok('a'))).toBe(0);
    expect(m.remember(ok('b'))).toBe(0);
    expect(m.keys()).toEqual(['conversation.request.hold a', 'conversation.request.hold b']);
    expect(m.remember(ok('c'))).toBe(0);
    expect(m.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c']);
    expect(m.recall('conversation.request.hold', 'a')).toBeUndefined();
    expect(m.bytes).toBe(2 * responseBytes(ok('b')));
  });

  it('the byte bound: up to and including maxBytes is kept; an answer larger than the bound alone is not kept and forgets nothing', () => {
    const one = responseBytes(ok('a'));
    const m = new RequestMemory(10, 2 * one);
    expect(m.remember(ok('a'))).toBe(0);
    expect(m.remember(ok('b'))).toBe(0);
    expect(m.size).toBe(2);
    expect(m.bytes).toBe(2 * one); // exactly at the bound
    // The byte bound forgot one: it says so.
    expect(m.remember(ok('c'))).toBe(1);
    expect(m.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c']);
    // Not kept for its size: one more the byte bound cost.
    expect(m.remember(failed('huge', 'x'.repeat(one)))).toBe(1);
    expect(m.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c']);
    expect(m.recall('conversation.request.hold', 'huge')).toBeUndefined();
  });

  it('an answer exactly the size of the byte bound is kept, alone', () => {
    const one = responseBytes(ok('a'));
    const m = new RequestMemory(10, one);
    expect(m.remember(ok('x'))).toBe(0);
    expect(m.remember(ok('a'))).toBe(1);
    expect(m.keys()).toEqual(['conversation.request.hold a']);
    expect(m.bytes).toBe(one);
  });

  it('returns how many answers the byte bound forgot to make room (several for one large answer); with both bounds passed, the count bound takes the oldest first', () => {
    const one = responseBytes(ok('a'));
    const m = new RequestMemory(10, 4 * one);
    for (const id of ['a', 'b', 'c', 'd']) expect(m.remember(ok(id))).toBe(0);
    // Three answers' worth of error text: three of the oldest go for bytes.
    const big = failed('e', 'x'.repeat((3 * one - responseBytes(failed('e', ''))) / 2));
    expect(responseBytes(big)).toBe(3 * one);
    expect(m.remember(big)).toBe(3);
    expect(m.keys()).toEqual(['conversation.request.hold d', 'conversation.request.hold e']);
    expect(m.bytes).toBe(4 * one);
    // Count 2, bytes 2 answers: a third answer passes both; the count bound's forgetting is not counted.
    const both = new RequestMemory(2, 2 * one);
    both.remember(ok('a'));
    both.remember(ok('b'));
    expect(both.remember(ok('c'))).toBe(0);
    expect(both.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c']);
    // Count 2, bytes 2 answers, a double answer in: one for the count, one more for the bytes.
    const double = failed('d', 'x'.repeat((2 * one - responseBytes(failed('d', ''))) / 2));
    expect(responseBytes(double)).toBe(2 * one);
    expect(both.remember(double)).toBe(1);
    expect(both.keys()).toEqual(['conversation.request.hold d']);
  });

  it('toJSON gives its size and bounds, not its answers', () => {
    const m = new RequestMemory(3, 5000);
    m.remember(ok('a'));
    expect(m.toJSON()).toEqual({ size: 1, limit: 3, bytes: responseBytes(ok('a')), maxBytes: 5000 });
    expect(JSON.stringify(m)).toBe(JSON.stringify({ size: 1, limit: 3, bytes: responseBytes(ok('a')), maxBytes: 5000 }));
  });

  it('compacts its ring of keys once half of it is forgotten, not before', () => {
    const m = new RequestMemory(3, 100_000);
    for (const id of ['a', 'b', 'c', 'd']) m.remember(ok(id));
    // a forgotten: 1 dead of 4.
    expect(mind(m).head).toBe(1);
    expect(mind(m).order).toHaveLength(4);
    m.remember(ok('e'));
    // b forgotten: 2 dead of 5.
    expect(mind(m).head).toBe(2);
    m.remember(ok('f'));
    // c forgotten: 3 dead of 6, half.
    expect(mind(m).head).toBe(0);
    expect(ring(m)).toEqual(['conversation.request.hold d', 'conversation.request.hold e', 'conversation.request.hold f']);
    const one = new RequestMemory(1, 100_000);
    one.remember(ok('a'));
    one.remember(ok('b'));
    // 1 dead of 2: half.
    expect(mind(one).head).toBe(0);
    expect(ring(one)).toEqual(['conversation.request.hold b']);
  });

  it('clone is independent, and keeps forgetting oldest first', () => {
    const m = new RequestMemory(3, 100_000);
    for (const id of ['a', 'b', 'c', 'd']) m.remember(ok(id));
    const c = m.clone();
    expect(c.limit).toBe(3);
    expect(c.maxBytes).toBe(100_000);
    expect(c.keys()).toEqual(m.keys());
    expect(c.bytes).toBe(m.bytes);
    c.remember(ok('e'));
    c.remember(ok('f'));
    expect(c.keys()).toEqual(['conversation.request.hold d', 'conversation.request.hold e', 'conversation.request.hold f']);
    expect(c.bytes).toBe(3 * responseBytes(ok('a')));
    expect(m.keys()).toEqual(['conversation.request.hold b', 'conversation.request.hold c', 'conversation.request.hold d']);
    expect(m.recall('conversation.request.hold', 'e')).toBeUndefined();
    m.remember(ok('g'));
    expect(c.recall('conversation.request.hold', 'g')).toBeUndefined();
  });

  test.prop([fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 30 })), { maxLength: 120 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 600 })])(
    'property: the memory never exceeds either bound, its bytes are the sum of its answers, and the newest answer that fits alone is always recalled',
    (answers, limit, maxBytes) => {
      const m = new RequestMemory(limit, maxBytes);
      for (const [id, error] of answers) {
        const response = error === '' ? ok(id) : failed(id, error);
        const known = m.recall(response.header.name, id);
        m.remember(response);
        expect(m.size).toBeLessThanOrEqual(limit);
        expect(m.bytes).toBeLessThanOrEqual(maxBytes);
        if (known === undefined && responseBytes(response) <= maxBytes) expect(m.recall(response.header.name, id)).toBe(response);
        const sum = m
          .keys()
          .map((k) => responseBytes(m.recall('conversation.request.hold', k.slice('conversation.request.hold '.length)) as ResponseMessage))
          .reduce((a, b) => a + b, 0);
        expect(m.bytes).toBe(sum);
      }
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.constantFrom('hold', 'retrieve', 'mute'), fc.constantFrom('a', 'b', 'c', 'd'), fc.nat({ max: 40 })), { maxLength: 80 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 150, max: 900 }),
  ])(
    'property: by name and requestId, the memory recalls exactly what a list of kept answers, oldest forgotten first, recalls',
    (steps, limit, maxBytes) => {
      const m = new RequestMemory(limit, maxBytes);
      const model: ResponseMessage[] = [];
      const key = (r: ResponseMessage) => `${r.header.name} ${r.header.requestId}`;
      for (const [short, id, errorLength] of steps) {
        const name = `conversation.request.${short}`;
        const response = errorLength === 0 ? ok(id, name) : respond({ type: 'cti.request', name, target: 'T', requestId: id }, { ok: false, errorMessage: 'x'.repeat(errorLength) });
        let forced = 0;
        if (!model.some((r) => key(r) === key(response))) {
          if (responseBytes(response) > maxBytes) forced = 1;
          else {
            model.push(response);
            if (model.length > limit) model.shift();
            for (; model.reduce((sum, r) => sum + responseBytes(r), 0) > maxBytes; forced += 1) model.shift();
          }
        }
        expect(m.remember(response)).toBe(forced);
        expect(m.keys()).toEqual(model.map(key));
        for (const other of ['hold', 'retrieve', 'mute'])
          for (const otherId of ['a', 'b', 'c', 'd']) {
            const kept = model.find((r) => key(r) === `conversation.request.${other} ${otherId}`);
            expect(m.recall(`conversation.request.${other}`, otherId)).toBe(kept);
          }
      }
    },
  );
});
