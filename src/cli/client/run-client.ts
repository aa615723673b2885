/**
 * The real client: a phone (simulated, optionally playing a calls file, a baresip or a
 * linphone-daemon), a bridge
 * client serving its legs to the bridge at --bridge, logs on stderr, and a clean close on Ctrl-C
 * (the client first, then the phone it was given).
 */
import { formatHostPort } from '../../log/host-port.js';
import { createBridgeClient, type BridgeClientTlsOptions } from '../../client/index.js';
import { BaresipPhone } from '../../adapters/baresip/index.js';
import { LinphonePhone } from '../../adapters/linphone/index.js';
import { SimulatedPhone } from '../../phone/simulated/index.js';
import type { Phone } from '../../phone/types.js';
import { attachInspector } from '../attach-inspector.js';
import type { CallsFile } from '../calls/calls-file.js';
import { phoneOptionsFor, playCalls, type CallsPlayer } from '../calls/play-calls.js';
import type { HostPort } from '../host-port.js';
import type { InspectChoice } from '../inspect-flag.js';
import type { CliIo } from '../io.js';
import { tracedPhone } from '../traced-phone.js';
import { untilAborted } from '../until-aborted.js';
import { createTranscript, transcriptModeFor } from '../transcript.js';
import { createLogger, type LogFields, type LogThreshold } from '../../log/index.js';
import type { TraceRecordOptions } from '../../trace/index.js';

export interface RunClientOptions {
  readonly io: CliIo;
  readonly bridge: HostPort;
  readonly tls?: BridgeClientTlsOptions;
  readonly phone:
    | { readonly kind: 'sim'; readonly calls?: CallsFile }
    | { readonly kind: 'baresip'; readonly address: HostPort }
    | { readonly kind: 'linphone'; readonly socket: string };
  readonly transcript: boolean;
  readonly json: boolean;
  /** Default 'info'. Numbers, names and digits are logged at debug only. */
  readonly logLevel?: LogThreshold;
  /** Show DTMF digits in the transcript; default masked. */
  readonly showDigits?: boolean;
  readonly inspect?: InspectChoice;
  /** Record a trace of the session (docs/traces.md). */
  readonly record?: TraceRecordOptions;
}

export async function runClient(options: RunClientOptions): Promise<number> {
  const { io } = options;
  // One logger for the run: the client's lines, baresip's and the CLI's own, with times and levels.
  const logger = createLogger({ level: options.logLevel ?? 'info', write: io.stderr });
  const log = (line: string, fields?: LogFields): void => logger.info(`client: ${line}`, fields);
  if (options.tls?.insecureSkipVerify) {
    logger.warn("client: --tls-insecure: the bridge's certificate is NOT verified; anyone on the path can read and change the traffic");
  }
  const inspector = await attachInspector(options.inspect);
  if (inspector) log(`inspector: ${inspector.url}`);
  const transcript = options.transcript
    ? createTranscript(io.stdout, transcriptModeFor(io.stdout, io.env, options.json), { showDigits: options.showDigits === true })
    : undefined;

  let phone: Phone;
  let simulated: SimulatedPhone | undefined;
  if (options.phone.kind === 'baresip') {
    const { host, port } = options.phone.address;
    try {
      phone = await BaresipPhone.connect({
        host,
        port,
        logger,
      });
    } catch (error) {
      // BaresipPhone's error already names the address it could not reach.
      logger.error(`client: ${messageOf(error)}`);
      return 1;
    }
    log(`driving baresip at ${formatHostPort(host, port)}`);
  } else if (options.phone.kind === 'linphone') {
    const { socket } = options.phone;
    try {
      phone = await LinphonePhone.connect({
        socket,
        logger,
      });
    } catch (error) {
      logger.error(`client: ${messageOf(error)}`);
      return 1;
    }
    log(`driving linphone-daemon at ${socket}`);
  } else {
    simulated = new SimulatedPhone(options.phone.calls ? phoneOptionsFor(options.phone.calls) : {});
    phone = simulated;
    if (!options.phone.calls) log('the simulated phone has no calls to play (give --calls FILE)');
  }
  // Every new leg is logged with its id: the id is what a bridge's targets must end with. Who is
  // calling is personal data: at debug level only.
  const stopLogging = phone.onLeg((leg) => {
    const { state, parties } = leg.snapshot();
    log(`leg ${leg.id}: new ${state} call`);
    const party = parties[0];
    const who = party ? `${party.number}${party.name ? ` (${party.name})` : ''}` : 'nobody';
    logger.debug(`client: leg ${leg.id}: ${state === 'DIALING' ? 'to' : 'from'} ${who}`);
  });
  const served =
    transcript || inspector
      ? tracedPhone(phone, (entry) => {
          transcript?.entry(entry);
          inspector?.recordPhone(entry);
        })
      : phone;

  const client = createBridgeClient({
    host: options.bridge.host,
    port: options.bridge.port,
    phone: served,
    ...(options.tls && { tls: options.tls }),
    logger,
    ...(options.record && { record: { ...options.record, onError: (error: Error) => logger.error(`client: recording stopped: ${error.message}`) } }),
    ...(transcript && {
      onTraffic: (entry: { direction: 'bridge→client' | 'client→bridge'; message: unknown }) =>
        transcript.entry({ dir: entry.direction, msg: entry.message }),
    }),
    ...inspector?.clientOptions(
      transcript && ((entry) => transcript.entry({ dir: entry.direction, msg: entry.message })),
    ),
  });
  log(`connecting to ${formatHostPort(options.bridge.host, options.bridge.port)}${options.tls ? ' over TLS' : ''}`);

  // The calls start once the client exists, so each leg has its destination from its first event.
  let player: CallsPlayer | undefined;
  if (simulated && options.phone.kind === 'sim' && options.phone.calls) {
    player = playCalls(simulated, options.phone.calls, log);
  }
  await untilAborted(io.signal);
  log('closing');
  player?.stop();
  stopLogging();
  await client.close();
  await phone.close();
  await inspector?.close();
  log('closed');
  return 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
