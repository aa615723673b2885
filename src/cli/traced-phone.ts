/**
 * A phone seen through a window: hands the client the same legs, but tells `trace` of every
 * operation the client calls on a leg and every event a leg reports, so the transcript shows the
 * phone's side of each message too. The wrapped legs behave exactly as the originals.
 */
import type {
  LegListener,
  LegOperationName,
  Phone,
  PhoneEvent,
  TelephonyLeg,
} from '../phone/types.js';

export type PhoneTrace =
  | { readonly dir: 'client→phone'; readonly leg: string; readonly op: LegOperationName | 'dispose' | 'dial'; readonly args?: readonly string[] }
  | { readonly dir: 'phone→client'; readonly leg: string; readonly event: PhoneEvent };

const OPERATIONS_WITHOUT_ARGUMENT = ['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute'] as const;
const OPERATIONS_WITH_ARGUMENT = ['transfer', 'conference', 'removeParty', 'sendDtmf'] as const;

export function tracedPhone(phone: Phone, trace: (entry: PhoneTrace) => void): Phone {
  const wrapped = new WeakMap<TelephonyLeg, TelephonyLeg>();
  const wrap = (leg: TelephonyLeg): TelephonyLeg => {
    let traced = wrapped.get(leg);
    if (!traced) {
      traced = tracedLeg(leg, trace);
      wrapped.set(leg, traced);
    }
    return traced;
  };
  const traced: Phone = {
    leg: (id) => {
      const leg = phone.leg(id);
      return leg && wrap(leg);
    },
    legs: () => phone.legs().map(wrap),
    onLeg: (listener: LegListener) => phone.onLeg((leg) => listener(wrap(leg))),
    close: () => phone.close(),
  };
  if (phone.dial) {
    const dial = phone.dial.bind(phone);
    traced.dial = async (destination, signal) => wrap(await dial(destination, signal));
  }
  // Legs that exist already are wrapped now, so their events are traced from the start.
  for (const leg of phone.legs()) wrap(leg);
  phone.onLeg((leg) => void wrap(leg));
  return traced;
}

function tracedLeg(leg: TelephonyLeg, trace: (entry: PhoneTrace) => void): TelephonyLeg {
  leg.subscribe((event) => trace({ dir: 'phone→client', leg: leg.id, event }));
  const traced: Record<string, unknown> = {
    id: leg.id,
    snapshot: () => leg.snapshot(),
    subscribe: (listener: (event: PhoneEvent) => void) => leg.subscribe(listener),
    dispose: () => {
      trace({ dir: 'client→phone', leg: leg.id, op: 'dispose' });
      return leg.dispose();
    },
  };
  const operations = leg as unknown as Record<string, ((...args: unknown[]) => Promise<void>) | undefined>;
  for (const op of OPERATIONS_WITHOUT_ARGUMENT) {
    const operation = operations[op];
    if (!operation) continue;
    traced[op] = (signal: AbortSignal) => {
      trace({ dir: 'client→phone', leg: leg.id, op });
      return operation.call(leg, signal);
    };
  }
  for (const op of OPERATIONS_WITH_ARGUMENT) {
    const operation = operations[op];
    if (!operation) continue;
    traced[op] = (argument: string, signal: AbortSignal) => {
      trace({ dir: 'client→phone', leg: leg.id, op, args: [argument] });
      return operation.call(leg, argument, signal);
    };
  }
  return traced as unknown as TelephonyLeg;
}
