/** The bridge client's options, their defaults and the shapes it reports through. */
import type { ConversationDestination, ConversationDestinationOptions } from '../destination/index.js';
import type { Phone } from '../phone/types.js';
import type { TraceRecordOptions } from '../trace/recorder.js';
import type { ByteOrder } from '../wire/index.js';
import type { Logger, LoggerLike, LogThreshold } from '../log/index.js';
import type { BridgeClientLimits } from './limits.js';

/**
 * How the client speaks TLS to the bridge: `createBridgeClient({ …, tls: { ca, servername } })`.
 * `tls: true` is the same as `{}`: the bridge's certificate is verified against the system's
 * authorities and the host's name. Every field is optional. Certificates and keys Node cannot read
 * make createBridgeClient throw (Node's own error); a certificate the bridge shows that does not
 * verify is a failed connect (a `connect-failed` diagnostic, then the back-off), never a throw.
 *
 * @example
 * createBridgeClient({ host: 'bridge.example.com', port: 7001, phone, tls: { ca: readFileSync('bridge-ca.pem') } });
 */
export interface BridgeClientTlsOptions {
  /** Certificate authorities to trust (PEM); default the system's. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate (PEM), when the bridge asks for one (mutual TLS); give `key` with it. */
  readonly cert?: string | Buffer;
  /** The private key of `cert` (PEM). */
  readonly key?: string | Buffer;
  /** The name the server's certificate must carry; default the host (when it is a name). */
  readonly servername?: string;
  /**
   * Default true. `false` accepts any certificate, so anyone between the client and the bridge can
   * read and change the traffic: for a lab only. The client warns on every connect while it is off.
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * The same as `rejectUnauthorized: false`, under a name that says what it does: `true` turns
   * certificate verification off (a lab with a self-signed bridge). Warned on every connect.
   */
  readonly insecureSkipVerify?: boolean;
}

/** Whether these TLS options turn certificate verification off (either way of saying it). */
export function verificationOff(tls: boolean | BridgeClientTlsOptions | undefined): boolean {
  return typeof tls === 'object' && (tls.insecureSkipVerify === true || tls.rejectUnauthorized === false);
}

/**
 * The back-off between connect attempts (after a failed attempt or a dropped connection): the
 * delay starts at `initialDelayMs`, grows by `factor` per failed attempt up to `maxDelayMs`, and
 * loses a random part of up to `jitter` of itself, so that many clients do not come back at once.
 * It goes back to the start once a connection opens. Every field is optional; out-of-range values
 * are clamped (a delay below 0 is 0, a factor below 1 is 1, jitter is kept within 0..1).
 * `reconnectDelay(attempt, options)` computes it.
 */
export interface ReconnectOptions {
  /** Delay before the first reconnect attempt; default 250 ms. */
  readonly initialDelayMs?: number;
  /** Ceiling of the delay; default 30 s. */
  readonly maxDelayMs?: number;
  /** Growth per failed attempt; default 2. */
  readonly factor?: number;
  /** Fraction of the delay taken off at random (0..1); default 0.5. */
  readonly jitter?: number;
}

/**
 * One report of the bridge client, handed to `onDiagnostic` (every one, whatever `logLevel` says)
 * and written to `logger` (at its level, per-frame codes rate-limited). The client reports instead
 * of throwing: a bridge it cannot reach, bad frames, legs it cannot serve, a failing phone.
 *
 * Codes about the connection: `connected`, `disconnected`, `connect-failed`, `reconnecting`,
 * `tls-unverified`, `closed`; about frames and the answers the client gives itself: `bad-frame`,
 * `frame-too-large`, `malformed-header`, `name-too-long`, `bad-header`, `unknown-leg`,
 * `not-implemented`, `disposed`, `busy`, `destination-error`, `response-not-owed`, `not-sent`,
 * `send-failed`; about legs: `leg-limit`, `leg-let-go`, `leg-disposed`, `bad-leg-id`,
 * `disposed-forgotten`; about bounds: `backpressure-paused`, `backpressure-resumed`,
 * `backpressure-timeout`, `unsent-overflow`; `record-failed`; and each destination's own codes
 * (DestinationDiagnostic), passed on with the leg's id.
 *
 * @example
 * createBridgeClient({ host, port, phone, onDiagnostic: (d) => d.level === 'error' && alert(d.code, d.message) });
 */
export interface BridgeClientDiagnostic {
  /** A stable code, e.g. 'connected', 'unknown-leg', 'backpressure-timeout'. */
  readonly code: string;
  /** A sentence for a person; text from the bridge in it is cut and escaped. */
  readonly message: string;
  /** How much it matters: the level it is logged at. */
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** The target of the frame it is about, when it is about one. */
  readonly target?: string;
  /** The leg it is about, when it is about one. */
  readonly legId?: string;
}

/** Where log lines go: a Logger (src/log), `console`, a pino logger, or anything with the level methods. */
export type BridgeClientLogger = Logger | LoggerLike;

/**
 * One frame as `onTraffic` sees it: which way it went and the message (the decoded JSON object; a
 * response exactly as sent). Built only when an `onTraffic` hook is given.
 */
export type ClientTrafficEntry = {
  /** `bridge→client` for a frame read, `client→bridge` for one written. */
  readonly direction: 'bridge→client' | 'client→bridge';
  /** The message itself; treat it as read-only. */
  readonly message: unknown;
};

/** What the client needs of a conversation destination (src/destination). */
export type ClientDestination = Pick<ConversationDestination, 'receive' | 'connectionLost' | 'stop' | 'target' | 'legId'>;

/** What the client gives each destination it creates; `createDestination` may add to it. */
export type ClientDestinationOptions = Pick<
  ConversationDestinationOptions,
  'leg' | 'send' | 'onDiagnostic' | 'onDisposed' | 'operationTimeoutMs' | 'dtmfMsPerDigit' | 'limits' | 'letGoAfterMs' | 'clock' | 'tap' | 'inspect' | 'signalPool'
> & {
  /**
   * Called when the destination lets go of a leg that ended and that the bridge never disposed
   * (its grace period passed). The client then forgets the leg and keeps its target among the
   * disposed: a later dispose there gets SUCCESS, anything else "disposed".
   */
  readonly onLetGo?: () => void;
};

/**
 * What `createBridgeClient` needs: where the bridge is (`host`, `port`) and the `phone` whose legs
 * it serves; everything else is optional, with the defaults given on each field (CLIENT_DEFAULTS
 * and LIMIT_DEFAULTS hold them). Keep the object unchanged while the client runs: some fields are
 * read again at each connect.
 *
 * @example
 * const client = createBridgeClient({
 *   host: 'bridge.example.com',
 *   port: 7001,
 *   tls: true,
 *   phone,
 *   logger: console,
 *   reconnect: { maxDelayMs: 10_000 },
 * });
 */
export interface BridgeClientOptions {
  /** The bridge's host name or IP address (IPv6 without brackets: `'::1'`). */
  readonly host: string;
  /** The bridge's TCP port, 1-65535 (outside 0-65535 createBridgeClient throws RangeError). */
  readonly port: number;
  /** `true` for TLS with the defaults (verifying the server), or the TLS options. */
  readonly tls?: boolean | BridgeClientTlsOptions;
  /** The phone whose legs the client serves. close() leaves it open: its owner closes it. */
  readonly phone: Phone;
  /** Byte order of the four-byte length before each frame; default 'big-endian'. */
  readonly byteOrder?: ByteOrder;
  /** Largest frame either way; default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** The back-off between connect attempts; defaults 250 ms, doubling, up to 30 s, jitter 0.5. */
  readonly reconnect?: ReconnectOptions;
  /** Unsent bytes above which the client stops reading from the bridge; default 1 MiB. */
  readonly highWaterMarkBytes?: number;
  /** How long reading may stay stopped before the connection is closed; default 30 s. */
  readonly backpressureLimitMs?: number;
  /** TCP keep-alive probe delay; default 15 s; 0 turns keep-alive off. */
  readonly keepAliveMs?: number;
  /** How many disposed legs still answer "disposed"; default 10 000 (limits.disposedLegs says the same). */
  readonly disposedLegLimit?: number;
  /** The client-wide budget over what a bridge can make grow (RELIABILITY.md has the table). */
  readonly limits?: BridgeClientLimits;
  /** A leg released before any init is let go after this long; default 60 s. */
  readonly releasedGraceMs?: number;
  /** Passed to every destination (ConversationDestinationOptions has the meaning and defaults of each). */
  readonly destination?: {
    /** How long a phone operation may take before its request is answered FAILURE. */
    readonly operationTimeoutMs?: number;
    /** Added to a sendDtmf's deadline per digit. */
    readonly dtmfMsPerDigit?: number;
    /** Each leg's own bounds (docs/contract.md, "Bounds"); RELIABILITY.md says how they add up client-wide. */
    readonly limits?: ConversationDestinationOptions['limits'];
    /** How long an ended, initialised leg the bridge never disposes is kept before it is let go; default 5 minutes. */
    readonly letGoAfterMs?: number;
    /** XState's clock for every destination (tests). */
    readonly clock?: ConversationDestinationOptions['clock'];
  };
  /** Where log lines go (`console`, a pino logger, a Logger of cti-conversation/log); default none. */
  readonly logger?: BridgeClientLogger;
  /** Lines below this level are not logged; default 'info'. The onDiagnostic hook gets every level. */
  readonly logLevel?: LogThreshold;
  /** Every report, at every level (see BridgeClientDiagnostic). A hook that throws is ignored. */
  readonly onDiagnostic?: (diagnostic: BridgeClientDiagnostic) => void;
  /** Every frame both ways (a transcript, the demo). A hook that throws is ignored. */
  readonly onTraffic?: (entry: ClientTrafficEntry) => void;
  /** Record a trace (docs/traces.md): the file name, or the file and how to record. */
  readonly record?: string | TraceRecordOptions;
  /**
   * Inspection of every destination: `observerFor(legId)` gives each leg's observer (a local
   * inspector or a Stately inspection from cti-conversation/inspector fits as it is).
   */
  readonly inspect?: { observerFor(legId: string): NonNullable<ConversationDestinationOptions['inspect']> };
  /** Replaces createConversationDestination (tests). */
  readonly createDestination?: (options: ClientDestinationOptions) => ClientDestination;
}

/** The defaults of BridgeClientOptions and ReconnectOptions (times in ms, sizes in bytes). */
export const CLIENT_DEFAULTS = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
  highWaterMarkBytes: 1024 * 1024,
  backpressureLimitMs: 30_000,
  disposedLegLimit: 10_000,
  keepAliveMs: 15_000,
  releasedGraceMs: 60_000,
} as const;
