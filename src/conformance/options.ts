/**
 * What an adapter author hands the conformance kit: how to make their phone, how to drive the far
 * end of its calls, and which optional parts the phone has. Far-end actions are async so a real
 * phone can drive a real far end (a second SIP phone, say) and resolve once it has acted.
 */
import { LEG_OPERATION_NAMES, OPTIONAL_LEG_OPERATIONS } from '../phone/types.js';
import type { LegOperationName, Party, Phone, TelephonyLeg } from '../phone/types.js';

/** The optional operations a leg may have. */
export type OptionalOperation = 'mute' | 'unmute' | 'transfer' | 'conference' | 'removeParty' | 'sendDtmf';

/**
 * How the kit makes the other end of a call act (ring, hang up, join, …) on your phone; see
 * docs/conformance.md.
 */
export interface FarEndDriver<P extends Phone = Phone> {
  /**
   * Makes a call from the far end ring `phone`. Resolve with the new leg, or with nothing: the kit
   * then takes the leg the phone announces through `onLeg`.
   */
  ring(phone: P): Promise<TelephonyLeg | void> | TelephonyLeg | void;
  /** The far end hangs up the call of `leg` (which may already be disposed). */
  hangUp(phone: P, leg: TelephonyLeg): Promise<void> | void;
  /** The number an inbound leg must list as a party; unchecked when absent. */
  callerNumber?: string;
  /**
   * The far end answers an outbound call `dial` made. Absent: the far end answers by itself
   * (as SimulatedPhone's default dial plan does).
   */
  answerOutbound?(phone: P, leg: TelephonyLeg): Promise<void> | void;
  /** What to dial for the outbound checks; default '2000'. */
  dialDestination?: string;
  /** The party number an outbound leg must list; default dialDestination. */
  dialledNumber?: string;
  /** A destination a transfer is sent to; the transfer check runs only with it. */
  transferDestination?: string;
  /** A destination a conference is sent to; the conference check runs only with it. */
  conferenceDestination?: string;
  /** Another party joins the call of `leg` (for removeParty); resolves with that party. */
  join?(phone: P, leg: TelephonyLeg): Promise<Party> | Party;
  /** Every DTMF digit the far end of `leg` has heard so far; the DTMF check compares it. */
  heardDigits?(phone: P, leg: TelephonyLeg): Promise<string> | string;
  /** Whether the call of `leg` is still up at the far end (checked after dispose). */
  callAlive?(phone: P, leg: TelephonyLeg): Promise<boolean> | boolean;
}

/**
 * Which optional operations and abilities (dialling) the phone under test has; the kit registers
 * only the checks that apply.
 */
export interface ConformanceCapabilities {
  /**
   * The optional operations this phone's legs have; the kit checks that the others are absent
   * (undefined). Default: all six.
   */
  operations?: readonly OptionalOperation[];
  /** Whether the phone can dial; default: whether `phone.dial` is a function. */
  dial?: boolean;
  /**
   * Whether answer, hold, retrieve, mute, unmute and release report their event before they
   * resolve (the contract asks it whenever the phone's reply already shows the change). Default
   * true; a phone that learns of the change only later sets it false and the kit waits instead.
   */
  eventBeforeResolve?: boolean;
}

/**
 * What the conformance kit needs: a factory for the phone under test, a far-end driver and the
 * capabilities; see docs/conformance.md.
 */
export interface PhoneConformanceOptions<P extends Phone = Phone> {
  /** A fresh phone for each check. */
  createPhone(): P | Promise<P>;
  /** How to close the phone after a check; default `phone.close()`. */
  closePhone?(phone: P): Promise<void> | void;
  farEnd: FarEndDriver<P>;
  capabilities?: ConformanceCapabilities;
  /** The time each check may take (a real phone is slower); default 30 000 ms. */
  timeoutMs?: number;
  /** Leave out the checks that run a destination over the leg (they need the catalogue). */
  skipDestinationChecks?: boolean;
}

export const ALL_OPTIONAL_OPERATIONS = OPTIONAL_LEG_OPERATIONS as readonly OptionalOperation[];

/** Names of every leg operation, with the arguments the kit passes in a TALKING call. */
export const OPERATION_NAMES: readonly LegOperationName[] = LEG_OPERATION_NAMES;
