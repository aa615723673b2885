/**
 * A stand-in for the conversation destination, for the client's own tests: it answers init and
 * dispose at once, holds every other request unanswered (an operation that hangs) until the test
 * releases it, and lets the test make it send events or let go of its leg. What it does is the
 * least a destination does; the client around it is what the tests look at.
 */
import type { ClientDestination, ClientDestinationOptions } from '../../src/client/index.js';

export interface FakeDestination extends ClientDestination {
  readonly options: ClientDestinationOptions;
  /** Requests received and not answered yet. */
  readonly held: Record<string, unknown>[];
  /** Answers every held request SUCCESS. */
  releaseHeld(): void;
  /** Sends one event on the destination's target. */
  event(name: string, body?: Record<string, unknown>): void;
  /** Calls the client's onLetGo, as the destination does when its grace period passes. */
  letGo(): void;
  stopped: boolean;
}

export function fakeDestinations(): { create: (options: ClientDestinationOptions) => ClientDestination; byLeg: Map<string, FakeDestination> } {
  const byLeg = new Map<string, FakeDestination>();
  const create = (options: ClientDestinationOptions): ClientDestination => {
    let target: string | undefined;
    const held: Record<string, unknown>[] = [];
    const answer = (header: Record<string, unknown>, body: Record<string, unknown> = {}): void =>
      options.send({ header: { type: 'cti.response', name: header['name'], target: header['target'], requestId: header['requestId'], result: 'SUCCESS' }, body } as never);
    const destination: FakeDestination = {
      options,
      held,
      stopped: false,
      legId: options.leg.id,
      get target() {
        return target;
      },
      receive(message) {
        const header = (message as { header: Record<string, unknown> }).header;
        if (header['name'] === 'conversation.query.init') {
          target = String(header['target']);
          answer(header, { 'conversation-state': 'TALKING', parties: [{ number: '1' }] });
        } else if (header['name'] === 'conversation.request.dispose') {
          answer(header);
          options.onDisposed?.();
        } else held.push(message as Record<string, unknown>);
      },
      connectionLost() {
        held.length = 0;
      },
      stop() {
        destination.stopped = true;
      },
      releaseHeld() {
        for (const message of held.splice(0)) answer((message as { header: Record<string, unknown> }).header);
      },
      event(name, body = {}) {
        options.send({ header: { type: 'cti.event', name, target }, body } as never);
      },
      letGo() {
        options.onLetGo?.();
      },
    };
    byLeg.set(options.leg.id, destination);
    return destination;
  };
  return { create, byLeg };
}
