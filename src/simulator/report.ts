/** The conformance report the bridge simulator produces from the live traffic. */

/**
 * The invariants of docs/contract.md a wire can show, plus the dispose rule:
 * 1 no event on a target before its init response;
 * 2 each query/request frame gets exactly one response, with its name, target and requestId;
 * 3 folding the init body and later events gives the leg's model (checked when the caller gives it);
 * 4 `started` precedes talking/held/ended, `ended` at most once and last;
 * 8 every client message passes the generated outbound validators (and is a well-formed frame);
 * dispose: no event is sent on a target after its dispose response (requests are still answered).
 */
export type InvariantId = '1' | '2' | '3' | '4' | '8' | 'dispose';

/** Each checked invariant in one line. */
export const INVARIANT_TITLES: Readonly<Record<InvariantId, string>> = {
  '1': 'no event on a target before its init response',
  '2': 'each query/request frame gets exactly one response with its name, target and requestId',
  '3': "folding the init body and the events gives the leg's model",
  '4': '`started` precedes talking, held and ended; `ended` at most once and last',
  '8': 'every client message is a valid frame and passes the outbound validators',
  dispose: 'no event on a target after its dispose response',
};

/** The ids of the invariants the simulator checks, in report order. */
export const INVARIANT_IDS = Object.keys(INVARIANT_TITLES) as InvariantId[];

/** One breach of an invariant: which, where (target, requestId, connection) and what happened. */
export interface Violation {
  readonly invariant: InvariantId;
  readonly message: string;
  readonly target?: string;
  readonly requestId?: string;
  /** Which client connection (1-based, in order of acceptance) it happened on. */
  readonly connection?: number;
}

/** One invariant's verdict: how often it was checked and its violations. */
export interface InvariantResult {
  readonly id: InvariantId;
  readonly title: string;
  /** How many times the invariant was put to the test; 0 means it was not checked. */
  readonly checks: number;
  readonly checked: boolean;
  readonly held: boolean;
  readonly violations: readonly Violation[];
}

/** The verdict on a run's traffic: each invariant checked, held or not, with its violations. */
export interface ConformanceReport {
  /** Every invariant that was checked held (and at least one was checked). */
  readonly passed: boolean;
  readonly invariants: readonly InvariantResult[];
  /** All violations, in the order they were seen. */
  readonly violations: readonly Violation[];
  readonly counts: {
    readonly connections: number;
    readonly framesSent: number;
    readonly framesReceived: number;
    readonly responses: number;
    readonly events: number;
    readonly targets: number;
  };
}

/** A plain-text rendering for a terminal or a log. */
export function formatReport(report: ConformanceReport): string {
  const lines: string[] = [];
  const c = report.counts;
  lines.push(
    `Conformance report: ${report.passed ? 'PASSED' : 'FAILED'} ` +
      `(${c.connections} connection(s), ${c.framesSent} frames sent, ${c.framesReceived} received: ` +
      `${c.responses} responses, ${c.events} events, ${c.targets} targets)`,
  );
  for (const inv of report.invariants) {
    const status = !inv.checked ? 'not checked' : inv.held ? 'held' : `VIOLATED ${inv.violations.length}x`;
    lines.push(`  [${inv.id}] ${inv.title}: ${status}${inv.checked ? ` (${inv.checks} checks)` : ''}`);
    for (const v of inv.violations.slice(0, 20)) {
      const where = [v.target && `target ${v.target}`, v.requestId && `requestId ${v.requestId}`, v.connection && `connection ${v.connection}`]
        .filter(Boolean)
        .join(', ');
      lines.push(`      - ${v.message}${where ? ` (${where})` : ''}`);
    }
    if (inv.violations.length > 20) lines.push(`      … and ${inv.violations.length - 20} more`);
  }
  return lines.join('\n');
}
