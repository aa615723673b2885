/**
 * The closing block of a run: what happened (calls, messages, phone traffic) and the conformance
 * report's verdict per invariant, for people and for --json.
 */
import type { ConformanceReport } from '../simulator/index.js';

export interface TrafficCounts {
  bridgeToClient: number;
  responses: number;
  events: number;
  phoneOperations: number;
  phoneReports: number;
}

export function emptyTrafficCounts(): TrafficCounts {
  return { bridgeToClient: 0, responses: 0, events: 0, phoneOperations: 0, phoneReports: 0 };
}

/** Counts a wire message by the type in its header. */
export function countMessage(counts: TrafficCounts, direction: 'bridge→client' | 'client→bridge', message: unknown): void {
  if (direction === 'bridge→client') {
    counts.bridgeToClient += 1;
    return;
  }
  const type = (message as { header?: { type?: unknown } } | null)?.header?.type;
  if (type === 'cti.event') counts.events += 1;
  else counts.responses += 1;
}

export interface SummaryInput {
  readonly report: ConformanceReport;
  readonly traffic: TrafficCounts;
  /** Demo only. */
  readonly calls?: { readonly total: number; readonly inbound: number; readonly outbound: number };
  /** Steps that did not go as scripted (demo) or scenario steps that failed (bridge). */
  readonly problems: readonly string[];
  readonly scriptName: string;
}

export interface Summary {
  readonly passed: boolean;
  readonly lines: readonly string[];
  readonly data: unknown;
}

/** Why an invariant can go unchecked in a run: said beside it, so "not checked" is never bare. */
const WHY_NOT_CHECKED: Readonly<Record<string, string>> = {
  '1': 'no event followed an init in this run',
  '2': 'the bridge sent no query or request in this run',
  '3': 'it needs the leg\'s expected model, which only the demo has (from its phone)',
  '4': 'no call sent started, talking, held or ended in this run',
  '8': 'the client sent nothing in this run',
  dispose: 'no dispose was answered in this run',
};

export function summarise(input: SummaryInput): Summary {
  const { report, traffic, calls, problems } = input;
  const checked = report.invariants.filter((invariant) => invariant.checked);
  const held = checked.filter((invariant) => invariant.held);
  const passed = report.passed && checked.length > 0 && held.length === checked.length && problems.length === 0;
  const lines: string[] = ['Summary'];
  if (calls) {
    lines.push(`  calls        ${calls.total} (${calls.inbound} inbound, ${calls.outbound} outbound)`);
  }
  const toBridge = traffic.responses + traffic.events;
  lines.push(
    `  messages     ${traffic.bridgeToClient + toBridge}: ${traffic.bridgeToClient} bridge → client, ` +
      `${toBridge} client → bridge (${traffic.responses} responses, ${traffic.events} events)`,
  );
  if (traffic.phoneOperations + traffic.phoneReports > 0) {
    lines.push(`  phone        ${traffic.phoneOperations} operations called, ${traffic.phoneReports} events reported`);
  }
  lines.push(
    problems.length === 0
      ? `  ${input.scriptName.padEnd(12)} every step went as scripted`
      : `  ${input.scriptName.padEnd(12)} ${problems.length} step(s) FAILED`,
  );
  for (const problem of problems) lines.push(`    ✗ ${problem}`);
  lines.push(
    `  invariants   ${checked.length} checked, ${held.length} held` +
      (checked.length === 0 ? ' (the client sent nothing to check)' : ''),
  );
  for (const invariant of report.invariants) {
    const verdict = !invariant.checked
      ? `not checked: ${WHY_NOT_CHECKED[invariant.id] ?? 'nothing in this run applies to it'}`
      : invariant.held
        ? `held (${invariant.checks} checks)`
        : `not held: ${invariant.violations.length} violation(s)`;
    lines.push(`    [${invariant.id}] ${invariant.title}: ${verdict}`);
    for (const violation of invariant.violations.slice(0, 10)) {
      lines.push(`        ✗ ${violation.message}${violation.target ? ` (${violation.target})` : ''}`);
    }
  }
  lines.push('    (the contract\'s invariants 5 to 7 concern the destination\'s inside, not the wire: its own tests check them)');
  lines.push(passed ? 'PASSED: every invariant checked held.' : `FAILED: ${failureReasons(report, checked.length, problems.length).join('; ')}.`);
  const data = {
    passed,
    ...(calls && { calls }),
    messages: { ...traffic },
    problems,
    invariants: report.invariants.map(({ id, title, checked: wasChecked, held: didHold, checks, violations }) => ({
      id,
      title,
      checked: wasChecked,
      held: didHold,
      checks,
      violations,
    })),
  };
  return { passed, lines, data };
}

/** Why a run failed, each reason pointing only at lines the summary printed. */
function failureReasons(report: ConformanceReport, checkedCount: number, problemCount: number): string[] {
  const violated = report.invariants.filter((invariant) => invariant.checked && !invariant.held).length;
  const reasons: string[] = [];
  if (problemCount > 0) reasons.push(`${problemCount} step(s) failed (the ✗ lines above)`);
  if (violated > 0) reasons.push(`${violated} invariant(s) not held (the ✗ lines above)`);
  if (checkedCount === 0) reasons.push('no invariant could be checked: no client sent anything');
  if (reasons.length === 0) reasons.push('the conformance report did not pass');
  return reasons;
}
