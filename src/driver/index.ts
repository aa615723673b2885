/** The destination driver: a destination in process, driven with promises (see driver.ts). */
export {
  createDestinationDriver,
  type DestinationDriver,
  type DestinationDriverOptions,
  type EventNameOf,
  type EventShortName,
  type RequestArguments,
  type ResponseFor,
  type WaitOptions,
} from './driver.js';
export { DriverStoppedError, DriverTimeoutError } from './errors.js';
