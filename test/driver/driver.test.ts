import { describe, expect, it } from 'vitest';
import {
  buildInbound,
  buildInboundMessage,
  createDestinationDriver,
  DriverStoppedError,
  DriverTimeoutError,
  INBOUND_NAME_BY_SHORT_NAME,
  isInboundShortName,
  SimulatedPhone,
  validateInbound,
  type InboundShortName,
} from '../../src/index.js';

const call = () => new SimulatedPhone().ring({ number: '+15551230001', name: 'Pat Caller' }, { id: 'leg-1' });

describe('the generated request builders', () => {
  it('build, for every query and request of the catalogue, a message validateInbound accepts with that name', () => {
    const bodies: Partial<Record<InboundShortName, object>> = {
      transfer: { destination: '+15550100' },
      conference: { destination: '+15550101' },
      removeparty: { number: '+15550101' },
      senddtmf: { digits: '12#' },
    };
    for (const [short, full] of Object.entries(INBOUND_NAME_BY_SHORT_NAME)) {
      const build = buildInbound[short as InboundShortName] as (t: string, r: string, b?: object) => unknown;
      const message = build('PB1.A.leg-1', `r-${short}`, bodies[short as InboundShortName]);
      const checked = validateInbound(message);
      expect(checked.ok, `${short}: ${JSON.stringify(checked)}`).toBe(true);
      expect(message).toMatchObject({ header: { name: full, target: 'PB1.A.leg-1', requestId: `r-${short}` } });
    }
    expect(buildInboundMessage('conversation.request.senddtmf', 't.leg-1', 'r-1', { digits: '9' }).body).toEqual({ digits: '9' });
    expect(isInboundShortName('hold')).toBe(true);
    expect(isInboundShortName('hodl')).toBe(false);
  });

  it('copy the body they are given', () => {
    const body = { destination: '+15550100' };
    const message = buildInbound.transfer('t.leg-1', 'r-1', body);
    body.destination = '+1999';
    expect(message.body.destination).toBe('+15550100');
  });
});

describe('the destination driver', () => {
  it('drives init, answer, hold and retrieve, resolving each with its response, and hands each event out once', async () => {
    const driver = createDestinationDriver({ leg: call(), target: 'PB1.AGENT.leg-1' });
    const init = await driver.request('init');
    expect(init.header).toMatchObject({ name: 'conversation.query.init', result: 'SUCCESS', target: 'PB1.AGENT.leg-1' });
    expect(init.body).toMatchObject({ 'conversation-state': 'RINGING' });
    expect((await driver.request('answer')).header.result).toBe('SUCCESS');
    expect((await driver.nextEvent('talking')).header.name).toBe('conversation.talking');
    expect((await driver.request('hold')).header.result).toBe('SUCCESS');
    expect((await driver.nextEvent('conversation.held')).header.name).toBe('conversation.held');
    expect((await driver.request('retrieve')).header.result).toBe('SUCCESS');
    const talking = await driver.nextEvent('talking');
    expect(driver.sent.indexOf(talking)).toBeGreaterThan(driver.sent.findIndex((m) => m.header.name === 'conversation.held'));
    // The events not asked for by name are still there, oldest first.
    expect((await driver.nextEvent()).header.name).toBe('conversation.ringing');
    expect((await driver.nextEvent()).header.name).toBe('conversation.started');
    driver.stop();
  });

  it('answers a request the state refuses with its FAILURE response, not a rejection', async () => {
    const driver = createDestinationDriver({ leg: call() });
    await driver.request('init');
    const hold = await driver.request('hold');
    expect(hold.header.result).toBe('FAILURE');
    expect(hold.header.result === 'FAILURE' && hold.header.errorMessage).toMatch(/hold/);
    driver.stop();
  });

  it('iterates the events as they come and ends the loop when stopped', async () => {
    const driver = createDestinationDriver({ leg: call() });
    await driver.request('init');
    const seen: string[] = [];
    const loop = (async () => {
      for await (const event of driver.events()) {
        seen.push(event.header.name);
        if (event.header.name === 'conversation.talking') driver.stop();
      }
    })();
    await driver.request('answer').catch(() => undefined);
    await loop;
    expect(seen.slice(0, 2)).toEqual(['conversation.ringing', 'conversation.started']);
    expect(seen.at(-1)).toBe('conversation.talking');
  });

  it('rejects a wait that outlives its timeout with DriverTimeoutError naming what it waited for', async () => {
    const driver = createDestinationDriver({ leg: call() });
    await driver.request('init');
    const error = await driver.nextEvent('held', { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverTimeoutError);
    expect((error as Error).message).toBe('no conversation.held event within 20 ms');
    driver.stop();
  });

  it('rejects pending and later waits with DriverStoppedError once stopped', async () => {
    const driver = createDestinationDriver({ leg: call() });
    const pending = driver.nextEvent('held');
    driver.stop();
    await expect(pending).rejects.toBeInstanceOf(DriverStoppedError);
    await expect(driver.request('init')).rejects.toBeInstanceOf(DriverStoppedError);
  });
});
