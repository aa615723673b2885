/**
 * Watches the traffic of a bridge simulator and checks, message by message, the invariants of
 * docs/contract.md that a wire can show. Pure bookkeeping: no sockets, no timers. The simulator tells it
 * what it sent, what it received and when connections open and close; `report()` sums it up.
 */
import { validateOutbound } from '../../generated/validators.js';
import type { BadFrame, FatalFrameError } from '../wire/index.js';
import { compareModel, foldEvent, foldInit, type ExpectedModel, type FoldedModel } from './fold-events.js';
import {
  INVARIANT_IDS,
  INVARIANT_TITLES,
  type ConformanceReport,
  type InvariantId,
  type Violation,
} from './report.js';

/** The shape of validateOutbound's result that the checker needs. */
export type OutboundValidator = (value: unknown) =>
  | { ok: true }
  | { ok: false; errors: readonly { path: string; message: string }[] };

interface Asked {
  readonly name: string;
  readonly target: string;
}

interface ConnectionState {
  open: boolean;
  /** requestId → the frames with that id still owed a response, oldest first. */
  readonly owed: Map<string, Asked[]>;
  /** Targets whose init was answered SUCCESS on this connection. */
  readonly initialised: Set<string>;
}

interface LegHistory {
  started: boolean;
  ended: boolean;
}

/** The last dot-separated segment of a target: the leg id (docs/contract.md, "Wire"). */
export function legIdOf(target: string): string {
  return target.slice(target.lastIndexOf('.') + 1);
}

function header(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = (value as Record<string, unknown>)['header'];
  return typeof h === 'object' && h !== null ? (h as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Events that need `started` before them (invariant 4). */
const AFTER_STARTED = new Set(['conversation.talking', 'conversation.held', 'conversation.ended']);

/**
 * Watches the traffic of a bridge connection and checks the contract's wire invariants; report()
 * gives the verdict.
 */
export class ConformanceChecker {
  readonly #validate: OutboundValidator;
  readonly #connections = new Map<number, ConnectionState>();
  /** Invariant 4 holds per target: a move is a first init for the new target (docs/contract.md, "Contract lines pinned by tests", 2). */
  readonly #sentOnTarget = new Map<string, LegHistory>();
  readonly #folds = new Map<string, FoldedModel>();
  readonly #disposed = new Set<string>();
  readonly #targets = new Set<string>();
  readonly #checks = new Map<InvariantId, number>(INVARIANT_IDS.map((id) => [id, 0]));
  readonly #violations: Violation[] = [];
  #framesSent = 0;
  #framesReceived = 0;
  #responses = 0;
  #events = 0;

  constructor(validate: OutboundValidator = validateOutbound as OutboundValidator) {
    this.#validate = validate;
  }

  connectionOpened(connection: number): void {
    this.#connections.set(connection, { open: true, owed: new Map(), initialised: new Set() });
  }

  /** Responses still owed on a closed connection are owed no more (docs/contract.md). */
  connectionClosed(connection: number): void {
    const state = this.#connections.get(connection);
    if (!state) return;
    state.open = false;
    state.owed.clear();
    state.initialised.clear();
  }

  /** A frame the bridge sent. Queries and requests with a requestId become owed a response. */
  bridgeSent(connection: number, message: unknown): void {
    this.#framesSent++;
    const h = header(message);
    const state = this.#connections.get(connection);
    if (!h || !state) return;
    const type = str(h['type']);
    const name = str(h['name']);
    const target = str(h['target']);
    const requestId = str(h['requestId']);
    if ((type !== 'cti.query' && type !== 'cti.request') || !name || !target || !requestId) return;
    this.#targets.add(target);
    const queue = state.owed.get(requestId) ?? [];
    queue.push({ name, target });
    state.owed.set(requestId, queue);
  }

  /** A frame the client sent, decoded. */
  clientSent(connection: number, message: unknown): void {
    this.#framesReceived++;
    this.#checkValid(connection, message);
    const h = header(message);
    const type = str(h?.['type']);
    const target = str(h?.['target']);
    if (!h || !target) return;
    this.#targets.add(target);
    if (type === 'cti.response') this.#onResponse(connection, h, message);
    else if (type === 'cti.event') {
      // Later requests on a disposed target are answered ("disposed"); only events are forbidden.
      this.#count('dispose');
      if (this.#disposed.has(target)) {
        this.#violate('dispose', connection, `${str(h['name']) ?? 'an event'} was sent after the dispose response`, target);
      }
      this.#onEvent(connection, h, message);
    }
  }

  clientBadFrame(connection: number, bad: BadFrame): void {
    this.#framesReceived++;
    this.#count('8');
    this.#violate('8', connection, `the client sent a bad frame: ${bad.message}`);
  }

  clientFatal(connection: number, error: FatalFrameError): void {
    this.#count('8');
    this.#violate('8', connection, `the client sent a frame length the bridge cannot accept: ${error.message}`);
  }

  /** Something the simulator noticed itself (a response that never came, …). */
  violation(invariant: InvariantId, connection: number | undefined, message: string, target?: string, requestId?: string): void {
    this.#count(invariant);
    this.#violate(invariant, connection, message, target, requestId);
  }

  /** The fold of the init body and the events after it, or undefined before a successful init. */
  folded(target: string): FoldedModel | undefined {
    return this.#folds.get(target);
  }

  /** Invariant 3: compares the fold for `target` with the model the caller knows to be true. */
  checkModel(target: string, expected: ExpectedModel): string[] {
    this.#count('3');
    const folded = this.#folds.get(target);
    const problems = folded
      ? compareModel(folded, expected)
      : ['no successful init response was seen, so there is nothing to fold'];
    for (const problem of problems) this.#violate('3', undefined, problem, target);
    return problems;
  }

  report(): ConformanceReport {
    // Responses still owed on an open connection have not come: each is a violation of 2.
    const pending: Violation[] = [];
    for (const [connection, state] of this.#connections) {
      if (!state.open) continue;
      for (const [requestId, asked] of state.owed) {
        for (const a of asked) {
          pending.push({
            invariant: '2',
            connection,
            target: a.target,
            requestId,
            message: `${a.name} has had no response yet`,
          });
        }
      }
    }
    const violations = [...this.#violations, ...pending];
    const invariants = INVARIANT_IDS.map((id) => {
      const own = violations.filter((v) => v.invariant === id);
      const checks = this.#checks.get(id)! + (id === '2' ? pending.length : 0);
      return { id, title: INVARIANT_TITLES[id], checks, checked: checks > 0, held: own.length === 0, violations: own };
    });
    return {
      passed: violations.length === 0 && invariants.some((i) => i.checked),
      invariants,
      violations,
      counts: {
        connections: this.#connections.size,
        framesSent: this.#framesSent,
        framesReceived: this.#framesReceived,
        responses: this.#responses,
        events: this.#events,
        targets: this.#targets.size,
      },
    };
  }

  #checkValid(connection: number, message: unknown): void {
    this.#count('8');
    let result: ReturnType<OutboundValidator>;
    try {
      result = this.#validate(message);
    } catch (error) {
      this.#violate('8', connection, `the outbound validator threw: ${String(error)}`);
      return;
    }
    if (result.ok) return;
    const h = header(message);
    const what = str(h?.['name']) ?? 'a message';
    const detail = result.errors.map((e) => `${e.path || '(root)'} ${e.message}`).join('; ');
    this.#violate('8', connection, `${what} fails the outbound validators: ${detail}`, str(h?.['target']), str(h?.['requestId']));
  }

  #onResponse(connection: number, h: Record<string, unknown>, message: unknown): void {
    this.#responses++;
    this.#count('2');
    const name = str(h['name']);
    const target = str(h['target'])!;
    const requestId = str(h['requestId']);
    const state = this.#connections.get(connection);
    if (!requestId) {
      this.#violate('2', connection, `a response (${name ?? 'no name'}) carries no requestId`, target);
      return;
    }
    const queue = state?.owed.get(requestId);
    const asked = queue?.shift();
    if (queue && queue.length === 0) state!.owed.delete(requestId);
    if (!asked) {
      this.#violate('2', connection, `a response (${name ?? 'no name'}) answers nothing asked, or answers it a second time`, target, requestId);
      return;
    }
    if (asked.name !== name) {
      this.#violate('2', connection, `the response to ${asked.name} is named ${name ?? '(none)'}`, target, requestId);
    }
    if (asked.target !== target) {
      this.#violate('2', connection, `the response to ${asked.name} on ${asked.target} names another target`, target, requestId);
    }
    const success = h['result'] === 'SUCCESS';
    if (name === 'conversation.query.init' && success && asked.target === target && state) {
      state.initialised.add(target);
      const body = (message as Record<string, unknown>)['body'];
      const folded = foldInit(body);
      if (folded) this.#folds.set(target, folded);
    }
    if (name === 'conversation.request.dispose' && success && asked.target === target) {
      this.#disposed.add(target);
    }
  }

  #onEvent(connection: number, h: Record<string, unknown>, message: unknown): void {
    this.#events++;
    const name = str(h['name']) ?? '(no name)';
    const target = str(h['target'])!;
    const state = this.#connections.get(connection);
    this.#count('1');
    if (!state?.initialised.has(target)) {
      this.#violate('1', connection, `${name} was sent before the init response on this connection`, target);
    }
    this.#count('4');
    const leg = this.#sentOnTarget.get(target) ?? { started: false, ended: false };
    this.#sentOnTarget.set(target, leg);
    if (leg.ended) {
      this.#violate('4', connection, `${name} was sent after ended`, target);
    } else if (name === 'conversation.started') {
      if (leg.started) this.#violate('4', connection, 'started was sent twice', target);
      leg.started = true;
    } else if (AFTER_STARTED.has(name) && !leg.started) {
      this.#violate('4', connection, `${name} was sent before started`, target);
    }
    if (name === 'conversation.ended') leg.ended = true;
    const folded = this.#folds.get(target);
    if (folded) this.#folds.set(target, foldEvent(folded, name, (message as Record<string, unknown>)['body']));
  }

  #count(id: InvariantId): void {
    this.#checks.set(id, this.#checks.get(id)! + 1);
  }

  #violate(invariant: InvariantId, connection: number | undefined, message: string, target?: string, requestId?: string): void {
    this.#violations.push({
      invariant,
      message,
      ...(target !== undefined && { target }),
      ...(requestId !== undefined && { requestId }),
      ...(connection !== undefined && { connection }),
    });
  }
}
