/** SimulatedPhone: the in-memory phone of the demo and the tests. */
export { SimulatedPhone } from './phone.js';
export { SimulatedLeg } from './leg.js';
export { FarEnd } from './far-end.js';
export type {
  Cancel,
  ConferenceOutcome,
  DialOutcome,
  DialOutcomeKind,
  Fault,
  OperationCall,
  Schedule,
  SimulatedPhoneOptions,
  TransferOutcome,
} from './options.js';
