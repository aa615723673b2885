/**
 * Masking: DTMF digits (they can be card numbers), phone numbers, SIP addresses and party names
 * are replaced by tokens before a line is written. The same value always gets the same token in
 * one trace and different values different tokens, and a token keeps what the destination's rules
 * look at (a digit string keeps its length and alphabet, a valid value stays valid and an invalid
 * one invalid), so a masked trace replays exactly: removeparty still finds its party, a DTMF
 * deadline still counts the same digits, a refused body is still refused.
 */
import { cleanParty } from '../../machines/model.js';
import type { LegOperationName, LegSnapshot, Party, PhoneEvent } from '../phone/types.js';

const DTMF_ALPHABET = '0123456789*#';
const DIGITS = /^[0-9*#]+$/;
const DIAL_STRING = /^(\+?)([0-9*#]{1,64})$/;
const SIP_ADDRESS = /^(sips?:)[!-~]{1,250}$/;
const PRINTABLE_NUMBER = /^[^\u0000-\u001F\u007F-\u009F]{1,256}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The same-length, same-alphabet string for the n-th distinct value of that length. */
function digitToken(n: number, length: number): string {
  let text = '';
  for (let rest = n; rest > 0; rest = Math.floor(rest / DTMF_ALPHABET.length)) text = DTMF_ALPHABET[rest % DTMF_ALPHABET.length] + text;
  return text.padStart(length, DTMF_ALPHABET[0]).slice(-length);
}

/** A value the catalogue refuses stays refused, for the same reason, without its content. */
function refusedLike(value: string): string {
  if (value.length === 0) return value;
  // A control character is what made it refused (or it is too long, kept by the length).
  return /[\u0000-\u001F\u007F-\u009F]/.test(value) ? `\u0007${'x'.repeat(Math.max(0, Math.min(value.length, 300) - 1))}` : 'x'.repeat(value.length);
}

/**
 * Replaces DTMF digits, phone numbers, SIP addresses and party names by tokens (docs/traces.md,
 * "What is masked"): digits by other digits of the same length and alphabet, a SIP address by
 * `sip:masked-N`, a number by `masked-N`, a name by `name-N`. One Masker is one trace: the same
 * value always gets the same token from it, different values different tokens, and a value the
 * destination would refuse stays refused. The recorder uses one per recording unless `unmasked`.
 *
 * It returns new values and never changes what it is given; a value of another type (not a
 * string, not an object) comes back as it is. It keeps every value it has seen, for the life of
 * the Masker.
 *
 * @example
 * const masker = new Masker();
 * masker.digits('1234#');                           // '00000'
 * masker.digits('1234#');                           // '00000' again
 * masker.digits('5678#');                           // '00001'
 * masker.number('+15551230001');                    // 'masked-1'
 * masker.destination('sip:bob@pbx.example.org');    // 'sip:masked-1'
 */
export class Masker {
  private readonly digitMaps = new Map<number, Map<string, string>>();
  private readonly numbers = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly sips = new Map<string, string>();

  /** DTMF digits, or the digits of a dial string. */
  digits(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    if (!DIGITS.test(value)) return refusedLike(value);
    let map = this.digitMaps.get(value.length);
    if (!map) this.digitMaps.set(value.length, (map = new Map()));
    let token = map.get(value);
    if (token === undefined) map.set(value, (token = digitToken(map.size, value.length)));
    return token;
  }

  /** A transfer or conference destination: a dial string or a SIP address. */
  destination(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const dial = DIAL_STRING.exec(value);
    if (dial) return `${dial[1]}${String(this.digits(dial[2]))}`;
    const sip = SIP_ADDRESS.exec(value);
    if (sip) return `${sip[1]}${token(this.sips, value, 'masked')}`;
    return refusedLike(value);
  }

  /** A party's number as a request names it. */
  number(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    // 'unknown' is what the destination itself says when a phone gives no number.
    if (value === 'unknown') return value;
    return PRINTABLE_NUMBER.test(value) ? token(this.numbers, value, 'masked') : refusedLike(value);
  }

  /** A party as the phone reports it: cleaned as the destination will clean it, then masked. */
  party(party: unknown): unknown {
    if (!isRecord(party)) return party;
    const cleaned = cleanParty(party as unknown as Party);
    const masked: Record<string, unknown> = { ...party, number: this.number(cleaned.number) };
    if (typeof party['name'] === 'string') masked['name'] = cleaned.name === undefined ? party['name'] : token(this.names, cleaned.name, 'name');
    return masked;
  }

  /** A leg snapshot, its parties masked. */
  snapshot(snapshot: LegSnapshot): LegSnapshot {
    if (!isRecord(snapshot) || !Array.isArray(snapshot.parties)) return snapshot;
    return { ...snapshot, parties: snapshot.parties.map((party) => this.party(party) as Party) };
  }

  /** A phone event: the party of `partyAdded`, the number of `partyRemoved`; others as they are. */
  event(event: PhoneEvent): PhoneEvent {
    if (!isRecord(event)) return event;
    if (event.type === 'partyAdded') return { ...event, party: this.party(event.party) as Party };
    if (event.type === 'partyRemoved') return { ...event, number: this.number(cleanParty({ number: event.number }).number) as string };
    return event;
  }

  /** A leg operation's arguments: sendDtmf's digits, transfer's and conference's destination, removeParty's number. */
  args(operation: LegOperationName, args: readonly string[]): readonly string[] {
    const [first, ...rest] = args;
    if (first === undefined) return args;
    switch (operation) {
      case 'sendDtmf':
        return [this.digits(first) as string, ...rest];
      case 'transfer':
      case 'conference':
        return [this.destination(first) as string, ...rest];
      case 'removeParty':
        return [this.number(first) as string, ...rest];
      default:
        return args;
    }
  }

  /** A frame either way: the body fields that carry digits, numbers, addresses or names. */
  frame(frame: unknown): unknown {
    if (!isRecord(frame) || !isRecord(frame['body'])) return frame;
    const body = frame['body'];
    let masked: Record<string, unknown> | undefined;
    const put = (key: string, value: unknown): void => {
      masked ??= { ...body };
      masked[key] = value;
    };
    if ('digits' in body) put('digits', this.digits(body['digits']));
    if ('destination' in body) put('destination', this.destination(body['destination']));
    if ('number' in body) put('number', this.number(body['number']));
    if (typeof body['name'] === 'string' && body['name'] !== '') put('name', token(this.names, body['name'], 'name'));
    if (Array.isArray(body['parties'])) put('parties', body['parties'].map((party) => this.party(party)));
    return masked === undefined ? frame : { ...frame, body: masked };
  }
}

function token(map: Map<string, string>, value: string, prefix: string): string {
  let found = map.get(value);
  if (found === undefined) map.set(value, (found = `${prefix}-${map.size + 1}`));
  return found;
}

/** Masks nothing: for `unmasked` recordings. */
export const NO_MASK = {
  frame: (frame: unknown) => frame,
  event: (event: PhoneEvent) => event,
  snapshot: (snapshot: LegSnapshot) => snapshot,
  args: (_operation: LegOperationName, args: readonly string[]) => args,
};

export type Mask = Pick<Masker, 'frame' | 'event' | 'snapshot' | 'args'>;
