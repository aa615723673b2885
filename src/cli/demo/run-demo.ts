/**
 * The demo in one process on 127.0.0.1: a bridge simulator on a free port, a SimulatedPhone, and
 * a bridge client serving the phone's legs to the simulator; the day of calls plays through them,
 * the transcript shows every message, and the summary gives the conformance report's verdict.
 */
import { createBridgeClient, type ClientTrafficEntry } from '../../client/index.js';
import { SimulatedPhone } from '../../phone/simulated/index.js';
import { createBridgeSimulator } from '../../simulator/index.js';
import { attachInspector } from '../attach-inspector.js';
import type { InspectChoice } from '../inspect-flag.js';
import type { CliIo } from '../io.js';
import { countMessage, emptyTrafficCounts, summarise } from '../summary.js';
import { tracedPhone } from '../traced-phone.js';
import { untilAborted } from '../until-aborted.js';
import { createTranscript, type TranscriptMode } from '../transcript.js';
import { DEMO_DAY, type DemoCall } from './day.js';
import type { TraceRecordOptions } from '../../trace/index.js';
import { playDay } from './play-day.js';
import { LIVE_LEG_ID, LIVE_TARGET, startLiveCall } from './live-call.js';

/** Loopback connects in milliseconds; this only keeps a broken build from hanging the demo. */
const CONNECT_DEADLINE_MS = 10_000;

export interface RunDemoOptions {
  readonly io: CliIo;
  readonly mode: TranscriptMode;
  readonly inspect?: InspectChoice;
  /** Show DTMF digits in the transcript; default masked as [N digits]. */
  readonly showDigits?: boolean;
  /** Another day (tests); default DEMO_DAY. */
  readonly day?: readonly DemoCall[];
  /** Record the day as a trace (docs/traces.md). */
  readonly record?: TraceRecordOptions;
}

export async function runDemo(options: RunDemoOptions): Promise<number> {
  const { io, mode } = options;
  const inspector = await attachInspector(options.inspect);
  const transcript = createTranscript(io.stdout, mode, { showDigits: options.showDigits === true });
  const traffic = emptyTrafficCounts();
  // Once the summary is out, the close's own diagnostics ("closed by the client") are not news.
  let finished = false;
  const simulator = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
  simulator.onTraffic((entry) => {
    if (entry.direction === 'connection') return;
    if ('problem' in entry) return transcript.note(`✗ client sent a bad frame: ${entry.problem}`);
    countMessage(traffic, entry.direction, entry.message);
    // What the client sends is printed when the client sends it (below), so the transcript keeps
    // the client's own order: dispose's response, then the leg's dispose (docs/contract.md, invariant 6).
    if (entry.direction === 'bridge→client') transcript.entry({ dir: entry.direction, msg: entry.message });
  });
  const clientTraffic = (entry: ClientTrafficEntry): void => {
    if (entry.direction === 'client→bridge') transcript.entry({ dir: entry.direction, msg: entry.message });
  };
  // Outbound calls wait for the far end the day scripts; conferenced numbers join under a name.
  const phone = new SimulatedPhone({
    idPrefix: 'out-',
    dialPlan: () => 'noAnswer',
    conferencePlan: () => ({ outcome: 'join', name: 'Supervisor' }),
  });
  const served = tracedPhone(phone, (entry) => {
    if (entry.dir === 'client→phone') traffic.phoneOperations += 1;
    else traffic.phoneReports += 1;
    transcript.entry(entry);
    inspector?.recordPhone(entry);
  });
  const client = createBridgeClient({
    host: simulator.host,
    port: simulator.port,
    phone: served,
    ...(options.record && { record: options.record }),
    onDiagnostic: (diagnostic) => {
      if (!finished && (diagnostic.level === 'warn' || diagnostic.level === 'error')) {
        transcript.note(`client: ${diagnostic.message}`);
      }
    },
    ...(inspector ? inspector.clientOptions(clientTraffic) : { onTraffic: clientTraffic }),
  });
  if (inspector) io.stderr.write(`inspector: ${inspector.url}\n`);
  let summary;
  try {
    await withDeadline(simulator.waitForConnection(), CONNECT_DEADLINE_MS, 'the client did not connect to the simulator');
    const result = await playDay({ simulator, phone, transcript, day: options.day ?? DEMO_DAY });
    summary = summarise({
      report: simulator.report(),
      traffic,
      calls: { total: result.calls, inbound: result.inbound, outbound: result.outbound },
      problems: result.problems,
      scriptName: 'day',
    });
    transcript.summary(summary.lines, summary.data);
    finished = true;
    if (inspector?.staysUp) {
      transcript.heading(`Live call ${LIVE_LEG_ID}: answered, left TALKING for the inspector`);
      await startLiveCall(simulator, phone);
      io.stderr.write(
        `inspector: the day's legs stay viewable at ${inspector.url}; leg ${LIVE_LEG_ID} stays TALKING; Ctrl-C to stop\n`,
      );
      io.onDemoLive?.({ simulator, phone, target: LIVE_TARGET, inspectorUrl: inspector.url });
      await untilAborted(io.signal);
    }
  } finally {
    await client.close();
    await phone.close();
    await simulator.close();
    await inspector?.close();
  }
  return summary.passed ? 0 : 1;
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
