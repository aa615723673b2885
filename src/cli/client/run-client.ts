/**
 * The real client: a phone (simulated, optionally playing a calls file, a baresip or a
 * linphone-daemon), a bridge
 * client serving its legs to the bridge at --bridge, logs on stderr, and a clean close on Ctrl-C
 * (the client first, then the phone it was given).
 */
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
  readonly inspect?: InspectChoice;
}

export async function runClient(options: RunClientOptions): Promise<number> {
  const { io } = options;
  const write = (line: string): void => io.stderr.write(`${line}\n`);
  const log = (line: string): void => write(`client: ${line}`);
  const inspector = await attachInspector(options.inspect);
  if (inspector) log(`inspector: ${inspector.url}`);
  const transcript = options.transcript
    ? createTranscript(io.stdout, transcriptModeFor(io.stdout, io.env, options.json))
    : undefined;

  let phone: Phone;
  let simulated: SimulatedPhone | undefined;
  if (options.phone.kind === 'baresip') {
    const { host, port } = options.phone.address;
    try {
      phone = await BaresipPhone.connect({
        host,
        port,
        onDiagnostic: (diagnostic) => log(`baresip: ${diagnostic.message}`),
      });
    } catch (error) {
      // BaresipPhone's error already names the address it could not reach.
      log(messageOf(error));
      return 1;
    }
    log(`driving baresip at ${host}:${port}`);
  } else if (options.phone.kind === 'linphone') {
    const { socket } = options.phone;
    try {
      phone = await LinphonePhone.connect({
        socket,
        onDiagnostic: (diagnostic) => log(`linphone: ${diagnostic.message}`),
      });
    } catch (error) {
      log(messageOf(error));
      return 1;
    }
    log(`driving linphone-daemon at ${socket}`);
  } else {
    simulated = new SimulatedPhone(options.phone.calls ? phoneOptionsFor(options.phone.calls) : {});
    phone = simulated;
    if (!options.phone.calls) log('the simulated phone has no calls to play (give --calls FILE)');
  }
  // Every new leg is logged with its id: the id is what a bridge's targets must end with.
  const stopLogging = phone.onLeg((leg) => {
    const { state, parties } = leg.snapshot();
    const party = parties[0];
    const who = party ? `${party.number}${party.name ? ` (${party.name})` : ''}` : 'nobody';
    log(`leg ${leg.id}: new ${state} call ${state === 'DIALING' ? 'to' : 'from'} ${who}`);
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
    // The library's lines name their source ("bridge client: …") already.
    logger: { info: write, warn: write, error: write },
    ...(transcript && {
      onTraffic: (entry: { direction: 'bridge→client' | 'client→bridge'; message: unknown }) =>
        transcript.entry({ dir: entry.direction, msg: entry.message }),
    }),
    ...inspector?.clientOptions(
      transcript && ((entry) => transcript.entry({ dir: entry.direction, msg: entry.message })),
    ),
  });
  log(`connecting to ${options.bridge.host}:${options.bridge.port}${options.tls ? ' over TLS' : ''}`);

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
