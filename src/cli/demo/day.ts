/**
 * The demo's day of calls, one agent's phone from morning to evening. Each call starts with a
 * caller ringing in or the agent dialling out, then lists what happens in order: what the bridge
 * asks (`bridge`), what the far end does (`far`), and the events the bridge must then see on the
 * call's target (`events`, in order; none when omitted). A request expects SUCCESS unless `result`
 * says otherwise. The player (play-day.ts) checks every expectation as it goes.
 */
import type { RequestName } from '../../../machines/tables.js';
import type { Party } from '../../phone/types.js';

/** A request the day's bridge sends: the short names of the machine's request table. */
export type DemoRequest = RequestName;

export type DemoFarAction =
  | { readonly far: 'answer' }
  | { readonly far: 'busy' }
  | { readonly far: 'fail'; readonly reason: string }
  | { readonly far: 'hangUp'; readonly reason?: string }
  | { readonly far: 'join'; readonly party: Party }
  | { readonly far: 'leave'; readonly number: string };

export type DemoStep = (
  | { readonly bridge: 'init' }
  | {
      readonly bridge: DemoRequest;
      readonly body?: Readonly<Record<string, string>>;
      readonly result?: 'SUCCESS' | 'FAILURE';
    }
  | DemoFarAction
) & { readonly events?: readonly string[] };

export interface DemoCall {
  readonly title: string;
  /** Inbound: the caller rings the agent's phone (leg id given). Outbound: the agent dials. */
  readonly start: { readonly ring: Party; readonly legId: string } | { readonly dial: string };
  readonly steps: readonly DemoStep[];
}

const PAT: Party = { number: '+15551230001', name: 'Pat Caller' };
const SAM: Party = { number: '+15551230002', name: 'Sam Smith' };
const ALEX: Party = { number: '+15551230003', name: 'Alex Jones' };

export const DEMO_DAY: readonly DemoCall[] = [
  {
    title: 'Inbound call: answered, hold and retrieve, mute and unmute, DTMF',
    start: { ring: PAT, legId: 'in-0901' },
    steps: [
      { bridge: 'init', events: ['ringing'] },
      { bridge: 'hold', result: 'FAILURE' }, // a ringing call cannot be held
      { bridge: 'answer', events: ['started', 'partyadded', 'talking'] },
      { bridge: 'hold', events: ['held'] },
      { bridge: 'hold' }, // already held: SUCCESS, the phone is not asked again
      { bridge: 'retrieve', events: ['talking'] },
      { bridge: 'mute', events: ['mute'] },
      { bridge: 'senddtmf', body: { digits: '1234#' } },
      { bridge: 'senddtmf', body: { digits: '12a' }, result: 'FAILURE' }, // not a DTMF digit
      { bridge: 'unmute', events: ['talking'] },
      { bridge: 'release', events: ['ended'] },
      { bridge: 'dispose' },
    ],
  },
  {
    title: 'Inbound call: blind transfer',
    start: { ring: SAM, legId: 'in-1015' },
    steps: [
      { bridge: 'init', events: ['ringing'] },
      { bridge: 'answer', events: ['started', 'partyadded', 'talking'] },
      { bridge: 'transfer', body: { destination: '2099' }, events: ['ended'] },
      { bridge: 'dispose' },
    ],
  },
  {
    title: 'Inbound call: blind conference, a party removed, the caller hangs up',
    start: { ring: ALEX, legId: 'in-1130' },
    steps: [
      { bridge: 'init', events: ['ringing'] },
      { bridge: 'answer', events: ['started', 'partyadded', 'talking'] },
      { bridge: 'conference', body: { destination: '2001' }, events: ['partyadded'] },
      { bridge: 'removeparty', body: { number: '2001' }, events: ['partyremoved'] },
      { far: 'hangUp', reason: 'caller hung up', events: ['ended'] },
      { bridge: 'dispose' },
    ],
  },
  {
    title: 'Outbound call: busy',
    start: { dial: '2002' },
    steps: [
      { bridge: 'init', events: ['dialing'] },
      { far: 'busy', events: ['busy', 'started', 'ended'] },
      { bridge: 'dispose' },
    ],
  },
  {
    title: 'Outbound call: failed',
    start: { dial: '+15559870000' },
    steps: [
      { bridge: 'init', events: ['dialing'] },
      { far: 'fail', reason: 'number not in service', events: ['failed', 'started', 'ended'] },
      { bridge: 'dispose' },
    ],
  },
  {
    title: 'Outbound call: answered, the far end hangs up',
    start: { dial: '+15551239999' },
    steps: [
      { bridge: 'init', events: ['dialing'] },
      { far: 'answer', events: ['started', 'partyadded', 'talking'] },
      { far: 'hangUp', reason: 'far end hung up', events: ['ended'] },
      { bridge: 'dispose' },
    ],
  },
];
