/** The bridge client: TCP/TLS to the processor bridge, one conversation destination per leg. */
export { createBridgeClient, type BridgeClient, type BridgeClientState } from './create-bridge-client.js';
export { reconnectDelay } from './backoff.js';
export type {
  BridgeClientDiagnostic,
  BridgeClientLogger,
  BridgeClientOptions,
  BridgeClientTlsOptions,
  ClientDestination,
  ClientDestinationOptions,
  ClientTrafficEntry,
  ReconnectOptions,
} from './options.js';
export { LIMIT_DEFAULTS, type BridgeClientCounters, type BridgeClientLimits } from './limits.js';
