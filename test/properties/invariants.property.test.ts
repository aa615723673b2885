/**
 * the eight invariants of docs/contract.md, each held by its own model-based property: random bridge frames
 * (init, the eleven requests, repeated requestIds, malformed frames), random phone events, random
 * operation outcomes (resolve, reject, hang, throw) released in a scheduler-chosen order, and
 * random time on XState's SimulatedClock. See TESTING.md, "Property tests", to replay a failure.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { worldCommands, worldSetupArbitrary } from './commands.js';
import { propertyParameters } from './settings.js';
import { World, type InvariantNumber } from './world.js';

async function holds(invariant: InvariantNumber): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), worldSetupArbitrary, worldCommands({ oddPhoneEvents: invariant === 7 }), async (scheduler, setup, commands) => {
      const world = new World(setup, scheduler, invariant === 7);
      await fc.asyncModelRun(() => ({ model: world.model, real: world }), commands);
      await world.finish();
      const violations = world.violationsOf(invariant);
      if (violations.length > 0) {
        const name = invariant === 9 ? 'request rule 2' : `invariant ${invariant}`;
        throw new Error(`${name} broken:\n  ${violations.join('\n  ')}\nwhat happened:\n  ${world.trace.join('\n  ')}`);
      }
    }),
    propertyParameters(),
  );
}

// Each property makes CTI_PROPERTY_RUNS runs (default 1000); vitest's timeout is raised to match.
const timeout = Math.max(60_000, Number(process.env.CTI_PROPERTY_RUNS ?? 1000) * 120);

describe('the conversation destination under random interleavings', () => {
  it('invariant 1: no event on a target before its init response', () => holds(1), timeout);
  it('invariant 2: every well-formed query/request frame gets exactly one response with its name, target and requestId', () => holds(2), timeout);
  it('invariant 3: at every quiet moment, folding the init body and the events after it gives the destination model', () => holds(3), timeout);
  it('invariant 4: started precedes talking, held and ended; ended is sent at most once and last', () => holds(4), timeout);
  it('invariant 5: the ok and no cells never call the phone (detach calls only the leg dispose)', () => holds(5), timeout);
  it("invariant 6: senddtmf's response comes after the tones were played; dispose's response before the leg's dispose", () => holds(6), timeout);
  it('invariant 7: no input, however malformed, throws out of the library or stops another leg', () => holds(7), timeout);
  it('invariant 8: every outgoing message passes the generated outbound validators', () => holds(8), timeout);
  it('request rule 2: a repeated requestId gets the same response again (init and "not initialized" exempt)', () => holds(9), timeout);
});
