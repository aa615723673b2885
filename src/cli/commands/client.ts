/** `cti-conversation client`: flags and their checks, then the client itself (client/run-client.ts). */
import { resolve } from 'node:path';
import type { BridgeClientTlsOptions } from '../../client/index.js';
import type { CliIo } from '../io.js';
import { CLIENT_HELP } from '../help.js';
import { parseFlags } from '../parse-flags.js';
import { parseHostPort, type HostPort } from '../host-port.js';
import { parseInspectFlag } from '../inspect-flag.js';
import { loadDataFile, readUserFile } from '../load-file.js';
import { CallsFileError, parseCallsFile, type CallsFile } from '../calls/calls-file.js';
import { UsageError } from '../usage-error.js';
import { isLogThreshold, LOG_LEVELS } from '../../log/index.js';
import { runClient } from '../client/run-client.js';
import { recordFlag } from '../record-flag.js';

const HINT = 'run `cti-conversation client --help` to see the flags';

export async function runClientCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('client', argv, {
    bridge: { type: 'string' },
    phone: { type: 'string' },
    calls: { type: 'string' },
    baresip: { type: 'string' },
    linphone: { type: 'string' },
    tls: { type: 'boolean' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    servername: { type: 'string' },
    'tls-insecure': { type: 'boolean' },
    'log-level': { type: 'string' },
    'show-digits': { type: 'boolean' },
    transcript: { type: 'boolean' },
    json: { type: 'boolean' },
    inspect: { type: 'string' },
    record: { type: 'string' },
    'record-unmasked': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(CLIENT_HELP);
    return 0;
  }
  if (values.bridge === undefined) throw new UsageError('client: --bridge HOST:PORT is required', HINT);
  const bridge = parseHostPort('--bridge', values.bridge, HINT);
  if (values.phone !== 'sim' && values.phone !== 'baresip' && values.phone !== 'linphone') {
    throw new UsageError(
      values.phone === undefined ? 'client: --phone sim|baresip|linphone is required' : `client: --phone must be sim, baresip or linphone`,
      HINT,
    );
  }
  if (values.linphone !== undefined && values.phone !== 'linphone') {
    throw new UsageError('client: --linphone names a linphone-daemon socket to drive; it needs --phone linphone', HINT);
  }
  if (values.phone === 'linphone' && values.linphone === undefined) {
    throw new UsageError('client: --phone linphone needs --linphone SOCKET (/tmp/<name given to linphone-daemon --pipe>)', HINT);
  }
  if (values.phone !== 'sim' && values.calls !== undefined) {
    throw new UsageError('client: --calls plays calls on the simulated phone; it needs --phone sim', HINT);
  }
  if (values.phone !== 'baresip' && values.baresip !== undefined) {
    throw new UsageError('client: --baresip names a baresip to drive; it needs --phone baresip', HINT);
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogThreshold(logLevel)) throw new UsageError(`client: --log-level must be one of ${LOG_LEVELS.join(', ')}`, HINT);
  for (const flag of ['ca', 'cert', 'key', 'servername', 'tls-insecure'] as const) {
    if (values[flag] !== undefined && !values.tls) throw new UsageError(`client: --${flag} needs --tls`, HINT);
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    throw new UsageError('client: --cert and --key go together', HINT);
  }
  const inspect = parseInspectFlag('client', values.inspect);
  const record = recordFlag('client', values.record, values['record-unmasked'], io.cwd ?? process.cwd(), HINT);
  const cwd = io.cwd ?? process.cwd();
  const tls = values.tls ? { ...(await readTlsOptions(values, cwd)), ...(values['tls-insecure'] && { insecureSkipVerify: true }) } : undefined;
  const baresip: HostPort | undefined =
    values.phone === 'baresip'
      ? parseHostPort('--baresip', values.baresip ?? '127.0.0.1:4444', HINT)
      : undefined;
  let calls: CallsFile | undefined;
  if (values.calls !== undefined) {
    const data = await loadDataFile('--calls', values.calls, cwd, 'examples/calls.yaml shows the format');
    try {
      calls = parseCallsFile(data);
    } catch (error) {
      if (error instanceof CallsFileError) {
        throw new UsageError(`--calls ${values.calls}: ${error.message}`, 'examples/calls.yaml shows the format');
      }
      throw error;
    }
  }
  return runClient({
    io,
    bridge,
    ...(tls && { tls }),
    phone: baresip
      ? { kind: 'baresip', address: baresip }
      : values.phone === 'linphone'
        ? { kind: 'linphone', socket: resolve(cwd, values.linphone!) }
        : { kind: 'sim', ...(calls && { calls }) },
    logLevel,
    showDigits: values['show-digits'] === true,
    transcript: values.transcript === true || values.json === true,
    json: values.json === true,
    ...(inspect && { inspect }),
    ...(record && { record }),
  });
}

async function readTlsOptions(
  values: { ca?: string; cert?: string; key?: string; servername?: string },
  cwd: string,
): Promise<BridgeClientTlsOptions> {
  const read = async (flag: string, name: string | undefined): Promise<string | undefined> => {
    if (name === undefined) return undefined;
    return readUserFile(`--${flag}`, name, cwd, 'give the path of a PEM file');
  };
  const [ca, cert, key] = await Promise.all([read('ca', values.ca), read('cert', values.cert), read('key', values.key)]);
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(values.servername !== undefined && { servername: values.servername }),
  };
}
