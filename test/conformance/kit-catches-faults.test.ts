/**
 * The kit must fail adapters that break the contract: each case wraps SimulatedPhone so one rule
 * breaks, runs the check for that rule, and expects the kit's error.
 */
import { describe, expect, it } from 'vitest';
import {
  ConformanceError,
  phoneConformanceChecks,
  runConformanceCheck,
  type PhoneConformanceOptions,
} from '../../src/conformance/index.js';
import { SimulatedPhone, type SimulatedLeg } from '../../src/phone/simulated/index.js';
import type { LegListener, Phone, PhoneEventListener, TelephonyLeg } from '../../src/phone/types.js';

type Overrides = (inner: SimulatedLeg) => Partial<Record<keyof TelephonyLeg, unknown>>;

/** A phone whose legs are SimulatedPhone's legs with some members replaced. */
class BrokenPhone implements Phone {
  readonly inner = new SimulatedPhone();
  private readonly wrapped = new Map<SimulatedLeg, TelephonyLeg>();
  readonly innerOf = new Map<TelephonyLeg, SimulatedLeg>();

  constructor(private readonly overrides: Overrides) {}

  private wrap(leg: SimulatedLeg): TelephonyLeg {
    let wrapper = this.wrapped.get(leg);
    if (!wrapper) {
      const replaced = this.overrides(leg);
      wrapper = new Proxy(leg, {
        get: (target, key, receiver) => {
          if (Object.hasOwn(replaced, key)) return replaced[key as keyof TelephonyLeg];
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as unknown as TelephonyLeg;
      this.wrapped.set(leg, wrapper);
      this.innerOf.set(wrapper, leg);
    }
    return wrapper;
  }

  leg(id: string): TelephonyLeg | undefined {
    const leg = this.inner.leg(id);
    return leg && this.wrap(leg);
  }
  legs(): readonly TelephonyLeg[] {
    return this.inner.legs().map((leg) => this.wrap(leg));
  }
  onLeg(listener: LegListener): () => void {
    return this.inner.onLeg((leg) => listener(this.wrap(leg as SimulatedLeg)));
  }
  dial(destination: string, signal: AbortSignal): Promise<TelephonyLeg> {
    return this.inner.dial(destination, signal).then((leg) => this.wrap(leg));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function optionsFor(overrides: Overrides): PhoneConformanceOptions<BrokenPhone> {
  return {
    createPhone: () => new BrokenPhone(overrides),
    farEnd: {
      ring: (phone) => {
        phone.inner.ring({ number: '1001' });
      },
      hangUp: (phone, leg) => phone.innerOf.get(leg)?.far.hangUp(),
      heardDigits: (phone, leg) => phone.innerOf.get(leg)?.far.tones ?? '',
      callAlive: (phone, leg) => phone.innerOf.get(leg)?.snapshot().state !== 'RELEASED',
      join: (phone, leg) => {
        phone.innerOf.get(leg)?.far.join({ number: '2002' });
        return { number: '2002' };
      },
    },
  };
}

async function failureOf(checkName: RegExp, overrides: Overrides): Promise<string> {
  const options = optionsFor(overrides);
  const selected = phoneConformanceChecks(options).find((candidate) => checkName.test(candidate.name));
  expect(selected, `no check matches ${checkName}`).toBeDefined();
  try {
    await runConformanceCheck(selected!, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceError);
    return (error as Error).message;
  }
  throw new Error('the check passed a broken phone');
}

const never = new AbortController().signal;

describe('the conformance kit fails a phone that breaks the contract', () => {
  it('passes the unbroken wrapper (so the failures below come from the breakage)', async () => {
    const options = optionsFor(() => ({}));
    for (const conformanceCheck of phoneConformanceChecks(options)) await runConformanceCheck(conformanceCheck, options);
  });

  it('a mute that toggles a muted call off', async () => {
    const message = await failureOf(/^mute reports muted/, (inner) => ({
      mute: (signal: AbortSignal) => (inner.snapshot().muted ? inner.unmute!(signal) : inner.mute!(signal)),
    }));
    expect(message).toMatch(/mute on a muted call changed the call/);
  });

  it('an answer that resolves before it reports talking', async () => {
    const message = await failureOf(/^answer resolves/, (inner) => ({
      answer: async () => {
        setImmediate(() => inner.far.emit({ type: 'talking' }));
      },
    }));
    expect(message).toBe('answer resolved before the leg reported talking');
  });

  it('a dispose that ends the call', async () => {
    const message = await failureOf(/^dispose resolves/, (inner) => ({
      dispose: async () => {
        await inner.release(never);
        await inner.dispose();
      },
    }));
    expect(message).toMatch(/dispose ended the call/);
  });

  it('a dispose that keeps the leg listed', async () => {
    const message = await failureOf(/^dispose resolves/, () => ({ dispose: async () => {} }));
    expect(message).toMatch(/still returns the disposed leg/);
  });

  it('a leg id with a dot', async () => {
    const message = await failureOf(/^leg ids match/, () => ({ id: 'call.1' }));
    expect(message).toMatch(/leg id does not match/);
  });

  it('a snapshot that lags the events it delivered', async () => {
    const message = await failureOf(/^hold reports held/, (inner) => ({
      snapshot: () => ({ ...inner.snapshot(), state: inner.snapshot().state === 'HELD' ? 'TALKING' : inner.snapshot().state }),
    }));
    expect(message).toMatch(/delivered held but its snapshot .* does not show it|after hold the snapshot says TALKING/);
  });

  it('a snapshot with no party', async () => {
    const message = await failureOf(/^a ringing leg snapshot/, (inner) => ({ snapshot: () => ({ ...inner.snapshot(), parties: [] }) }));
    expect(message).toMatch(/lists no party/);
  });

  it('an operation that ignores an aborted signal', async () => {
    const message = await failureOf(/already aborted signal/, (inner) => ({ hold: () => inner.hold(never) }));
    expect(message).toMatch(/hold with an aborted signal resolved/);
  });

  it('an operation that throws instead of returning a promise', async () => {
    const message = await failureOf(/already aborted signal/, () => ({
      answer: () => {
        throw new Error('boom');
      },
    }));
    expect(message).toMatch(/answer with an aborted signal threw/);
  });

  it('a sendDtmf that resolves before the tones are played', async () => {
    const message = await failureOf(/^sendDtmf resolves/, (inner) => ({
      sendDtmf: (digits: string, signal: AbortSignal) => {
        void inner.sendDtmf!(digits, signal);
        return Promise.resolve();
      },
    }));
    expect(message).toMatch(/before the far end heard every tone/);
  });

  it('an unsubscribe that does not unsubscribe', async () => {
    const message = await failureOf(/^an unsubscribed listener/, (inner) => ({
      subscribe: (listener: PhoneEventListener) => {
        inner.subscribe(listener);
        return () => {};
      },
    }));
    expect(message).toMatch(/an unsubscribed listener heard held/);
  });

  it('an optional operation declared absent but present', async () => {
    const options = { ...optionsFor(() => ({})), capabilities: { operations: ['mute', 'unmute'] as const } };
    const selected = phoneConformanceChecks(options).find((candidate) => /optional operations declared/.test(candidate.name))!;
    await expect(runConformanceCheck(selected, options)).rejects.toThrow(/transfer is not declared but the leg has it/);
    expect(phoneConformanceChecks(options).some((candidate) => /^transfer/.test(candidate.name))).toBe(false);
  });

  it('a phone that reports after it resolves passes when it says so (eventBeforeResolve false)', async () => {
    const late: Overrides = (inner) => ({
      answer: async () => {
        setImmediate(() => inner.far.emit({ type: 'talking' }));
      },
    });
    const options = { ...optionsFor(late), capabilities: { eventBeforeResolve: false } };
    const selected = phoneConformanceChecks(options).find((candidate) => /^answer resolves/.test(candidate.name))!;
    await runConformanceCheck(selected, options);
  });
});

describe('choosing the checks', () => {
  it('skipDestinationChecks leaves out exactly the checks that run a destination', () => {
    const all = phoneConformanceChecks(optionsFor(() => ({})));
    const without = phoneConformanceChecks({ ...optionsFor(() => ({})), skipDestinationChecks: true });
    const throughDestination = all.filter((candidate) => candidate.name.startsWith('through a destination'));
    expect(throughDestination.length).toBeGreaterThanOrEqual(5);
    expect(without).toEqual(all.filter((candidate) => !throughDestination.includes(candidate)));
  });

  it('a phone without optional operations gets no check that needs them', () => {
    const names = phoneConformanceChecks({ ...optionsFor(() => ({})), capabilities: { operations: [] } }).map((candidate) => candidate.name);
    expect(names.some((name) => /^(mute|sendDtmf|transfer|conference|removeParty) /.test(name))).toBe(false);
    expect(names).toContain('the optional operations declared are functions and the others are absent');
  });
});

/** Whether a SimulatedPhone was closed (a closed one refuses to ring). */
function isClosed(phone: BrokenPhone): boolean {
  try {
    phone.inner.ring({ number: '1001' });
    return false;
  } catch {
    return true;
  }
}

describe('a check that never finishes', () => {
  const disposeCheck = phoneConformanceChecks(optionsFor(() => ({}))).find((candidate) => /^dispose resolves/.test(candidate.name))!;

  it('fails after timeoutMs naming the step it waited on, and still closes the phone', async () => {
    const created: BrokenPhone[] = [];
    const options: PhoneConformanceOptions<BrokenPhone> = {
      ...optionsFor(() => ({})),
      createPhone: () => {
        const phone = new BrokenPhone(() => ({ answer: () => new Promise<void>(() => undefined) }));
        created.push(phone);
        return phone;
      },
      timeoutMs: 300,
    };
    const failure = await runConformanceCheck(disposeCheck, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConformanceError);
    expect((failure as Error).message).toMatch(/^the check did not finish within 300 ms \(last step: answering leg \S+\)$/);
    expect(created).toHaveLength(1);
    expect(isClosed(created[0]!)).toBe(true);
  });

  it('names the far end when farEnd.ring never returns', async () => {
    const base = optionsFor(() => ({}));
    const options: PhoneConformanceOptions<BrokenPhone> = {
      ...base,
      farEnd: { ...base.farEnd, ring: () => new Promise<void>(() => undefined) },
      timeoutMs: 200,
    };
    await expect(runConformanceCheck(disposeCheck, options)).rejects.toThrow(
      /^the check did not finish within 200 ms \(last step: the far end rings the phone \(farEnd\.ring\)\)$/,
    );
  });

  it('closes a phone that createPhone returns only after the deadline', async () => {
    let finishCreating: (() => void) | undefined;
    const phone = new BrokenPhone(() => ({}));
    const options: PhoneConformanceOptions<BrokenPhone> = {
      ...optionsFor(() => ({})),
      createPhone: () => new Promise<BrokenPhone>((resolve) => (finishCreating = () => resolve(phone))),
      timeoutMs: 200,
    };
    await expect(runConformanceCheck(disposeCheck, options)).rejects.toThrow(/\(last step: creating the phone\)$/);
    expect(isClosed(phone)).toBe(false);
    finishCreating!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(isClosed(phone)).toBe(true);
  });
});
