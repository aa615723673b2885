/**
 * The bridge simulator's conformance checker holds invariant 4 per target: a move is a first init
 * for the new target (docs/contract.md, "Contract lines pinned by tests", 2).
 */
import { describe, expect, it } from 'vitest';
import { ConformanceChecker } from '../../src/simulator/index.js';

const A = 'PB1.S-1001.G-1.TEL.I-5501.leg-1';
const B = 'PB1.S-2002.G-1.TEL.I-7.leg-1'; // the same leg id, another target

function session() {
  const checker = new ConformanceChecker();
  checker.connectionOpened(1);
  let n = 0;
  const init = (target: string) => {
    const requestId = `i-${(n += 1)}`;
    checker.bridgeSent(1, { header: { type: 'cti.query', name: 'conversation.query.init', target, requestId }, body: {} });
    checker.clientSent(1, {
      header: { type: 'cti.response', name: 'conversation.query.init', target, requestId, result: 'SUCCESS' },
      body: { 'conversation-state': 'TALKING', parties: [{ number: '100' }] },
    });
  };
  const event = (target: string, name: string) => checker.clientSent(1, { header: { type: 'cti.event', name: `conversation.${name}`, target }, body: {} });
  const fourth = () => checker.report().violations.filter((v) => v.invariant === '4').map((v) => `${v.target === A ? 'A' : 'B'}: ${v.message}`);
  return { init, event, fourth };
}

describe('the conformance checker, invariant 4', () => {
  it('started and ended once on each target of a moved leg is no violation', () => {
    const s = session();
    s.init(A);
    s.event(A, 'started');
    s.init(B);
    s.event(B, 'started');
    s.event(B, 'ended');
    s.init(A);
    s.event(A, 'ended');
    expect(s.fourth()).toEqual([]);
  });

  it('started twice, or anything after ended, on one target is', () => {
    const s = session();
    s.init(A);
    s.event(A, 'started');
    s.event(A, 'started');
    s.event(A, 'ended');
    s.event(A, 'talking');
    s.init(B);
    s.event(B, 'held');
    expect(s.fourth()).toEqual(['A: started was sent twice', 'A: conversation.talking was sent after ended', 'B: conversation.held was sent before started']);
  });
});
