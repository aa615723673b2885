/**
 * The far end of a simulated leg: what the other side (or the network) does to the call. Tests
 * and the demo script calls with it. An action that makes no sense in the call's state throws,
 * so a test that scripts an impossible call fails loudly.
 */
import type { Party, PhoneEvent } from '../types.js';
import type { CallModel } from './call-model.js';
import { latest, trimmed } from './history.js';

/** The part of a leg the far end acts through. */
export interface FarEndHost {
  readonly id: string;
  readonly call: CallModel;
  deliver(event: PhoneEvent): void;
}

/**
 * The far end of a simulated call, for tests and the demo: answer, hang up, join or leave a party,
 * and the DTMF tones it heard.
 */
export class FarEnd {
  private heard = '';
  private heardCount = 0;

  constructor(
    private readonly host: FarEndHost,
    /** How many of the latest digits `tones` keeps (SimulatedPhoneOptions `history.tones`). */
    private readonly keepTones = Infinity,
  ) {}

  /** The DTMF digits the far end has heard, in order: the latest `history.tones` of them (default 1,000). */
  get tones(): string {
    return latest(this.heard, this.keepTones);
  }

  /** How many DTMF digits the far end has heard, the ones `tones` no longer keeps included. */
  get tonesHeard(): number {
    return this.heardCount;
  }

  /** The leg played `digits`. */
  hear(digits: string): void {
    this.heardCount += digits.length;
    this.heard = trimmed(this.heard + digits, this.keepTones);
  }

  /** An outbound call is answered: DIALING → TALKING. */
  answer(): void {
    this.expect('answer', ['DIALING']);
    this.host.deliver({ type: 'talking' });
  }

  /** An outbound call finds the far end busy: DIALING → RELEASED. */
  busy(): void {
    this.expect('busy', ['DIALING']);
    this.host.deliver({ type: 'busy' });
  }

  /** An outbound call fails (unknown number, network error): DIALING → RELEASED. */
  fail(reason = 'the call failed'): void {
    this.expect('fail', ['DIALING']);
    this.host.deliver({ type: 'failed', reason });
  }

  /** The far end hangs up, in any state but RELEASED. */
  hangUp(reason = 'the far end hung up'): void {
    this.expect('hangUp', ['RINGING', 'DIALING', 'TALKING', 'HELD']);
    this.host.deliver({ type: 'ended', reason });
  }

  /** A party joins the call (a conference); a number already listed is not added twice. */
  join(party: Party): void {
    this.expect('join', ['RINGING', 'DIALING', 'TALKING', 'HELD']);
    if (this.host.call.parties.some((listed) => listed.number === party.number)) return;
    this.host.deliver({ type: 'partyAdded', party: { ...party } });
  }

  /** A listed party leaves. The only party cannot leave: use hangUp(). */
  leave(number: string): void {
    this.expect('leave', ['RINGING', 'DIALING', 'TALKING', 'HELD']);
    const parties = this.host.call.parties;
    if (!parties.some((party) => party.number === number)) {
      throw new Error(`leg ${this.host.id}: leave: that number is not a party of the call`);
    }
    if (parties.length === 1) {
      throw new Error(`leg ${this.host.id}: leave: the only party cannot leave; use hangUp()`);
    }
    this.host.deliver({ type: 'partyRemoved', number });
  }

  /**
   * Delivers any phone event as it is, even one a real phone would not send in this state (for
   * tests of a destination's handling of odd phones). The snapshot follows it as the contract
   * reads events, and stays RELEASED once released.
   */
  emit(event: PhoneEvent): void {
    this.host.deliver(event);
  }

  private expect(action: string, states: readonly string[]): void {
    const state = this.host.call.state;
    if (!states.includes(state)) {
      throw new Error(`leg ${this.host.id}: far end cannot ${action} a ${state} call`);
    }
  }
}
