/** The bridge client's options, their defaults and the shapes it reports through. */
import type { ConversationDestination, ConversationDestinationOptions } from '../destination/index.js';
import type { Phone } from '../phone/types.js';
import type { TraceRecordOptions } from '../trace/recorder.js';
import type { ByteOrder } from '../wire/index.js';
import type { Logger, LoggerLike, LogThreshold } from '../log/index.js';
import type { BridgeClientLimits } from './limits.js';

export interface BridgeClientTlsOptions {
  /** Certificate authorities to trust (PEM); default the system's. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate and key (PEM), when the bridge asks for one. */
  readonly cert?: string | Buffer;
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

export interface BridgeClientDiagnostic {
  /** A stable code, e.g. 'connected', 'unknown-leg', 'backpressure-timeout'. */
  readonly code: string;
  /** A sentence for a person. */
  readonly message: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly target?: string;
  readonly legId?: string;
}

/** Where log lines go: a Logger (src/log), `console`, a pino logger, or anything with the level methods. */
export type BridgeClientLogger = Logger | LoggerLike;

export type ClientTrafficEntry = {
  readonly direction: 'bridge→client' | 'client→bridge';
  readonly message: unknown;
};

/** What the client needs of a conversation destination (src/destination). */
export type ClientDestination = Pick<ConversationDestination, 'receive' | 'connectionLost' | 'stop' | 'target' | 'legId'>;

/** What the client gives each destination it creates; `createDestination` may add to it. */
export type ClientDestinationOptions = Pick<
  ConversationDestinationOptions,
  'leg' | 'send' | 'onDiagnostic' | 'onDisposed' | 'operationTimeoutMs' | 'dtmfMsPerDigit' | 'limits' | 'letGoAfterMs' | 'clock' | 'tap' | 'inspect'
> & {
  /**
   * Called when the destination lets go of a leg that ended and that the bridge never disposed
   * (its grace period passed). The client then forgets the leg and keeps its target among the
   * disposed: a later dispose there gets SUCCESS, anything else "disposed".
   */
  readonly onLetGo?: () => void;
};

export interface BridgeClientOptions {
  readonly host: string;
  readonly port: number;
  /** `true` for TLS with the defaults (verifying the server), or the TLS options. */
  readonly tls?: boolean | BridgeClientTlsOptions;
  /** The phone whose legs the client serves. close() leaves it open: its owner closes it. */
  readonly phone: Phone;
  readonly byteOrder?: ByteOrder;
  /** Largest frame either way; default 1 MiB. */
  readonly maxFrameBytes?: number;
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
  /** Passed to every destination. */
  readonly destination?: {
    readonly operationTimeoutMs?: number;
    readonly dtmfMsPerDigit?: number;
    /** Each leg's own bounds (docs/contract.md, "Bounds"); RELIABILITY.md says how they add up client-wide. */
    readonly limits?: ConversationDestinationOptions['limits'];
    /** How long an ended, initialised leg the bridge never disposes is kept before it is let go; default 5 minutes. */
    readonly letGoAfterMs?: number;
    /** XState's clock for every destination (tests). */
    readonly clock?: ConversationDestinationOptions['clock'];
  };
  readonly logger?: BridgeClientLogger;
  /** Lines below this level are not logged; default 'info'. The onDiagnostic hook gets every level. */
  readonly logLevel?: LogThreshold;
  readonly onDiagnostic?: (diagnostic: BridgeClientDiagnostic) => void;
  /** Every frame both ways (a transcript, the demo). */
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
