/**
 * The telephony lab as a test fixture: baresip 1.0.0 instances on 127.0.0.1, each with a config
 * folder and ports of its own (SIP port, SIP port + 1 which baresip takes for TLS, a ctrl_tcp port
 * and an RTP range), so test files can run in parallel. Configuration as in the project's
 * telephony lab notes: no sound card (ALSA's null device), a sine tone as the microphone.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts, processOutput, startProcess, stopProcess, waitForTcp, type RunningProcess } from './baresip-lab-process.js';

export interface BaresipOptions {
  /** Sine tone frequency this phone sends (distinct per phone). Default 440. */
  readonly toneHz?: number;
  /** Load the vumeter module: the phone then reports the level it hears (VU_RX_REPORT). */
  readonly vumeter?: boolean;
  readonly answermode?: 'manual' | 'auto';
  /** Load the sndfile module: each call's decoded (received) audio is written to `<dir>/audio/*.wav`. */
  readonly record?: boolean;
}

export interface BaresipInstance {
  readonly name: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** The phone's own address, e.g. sip:bob@127.0.0.1:12345. */
  readonly uri: string;
  readonly dir: string;
  readonly process: RunningProcess;
  log(): string;
  stop(): Promise<void>;
}

function config(sipPort: number, ctrlPort: number, rtpBase: number, options: BaresipOptions, recordDir: string): string {
  const lines: [string, string][] = [
    ['poll_method', 'epoll'],
    ['sip_listen', `127.0.0.1:${sipPort}`],
    // `lo` cannot be resolved to an address in some sandboxes; the literal address always works.
    ['net_interface', '127.0.0.1'],
    ['call_local_timeout', '120'],
    ['call_max_calls', '4'],
    ['audio_player', 'alsa,null'],
    ['audio_source', `ausine,${options.toneHz ?? 440}`],
    ['audio_alert', 'alsa,null'],
    // ausine only produces 48 kHz stereo; without these, accept silently leaves the call INCOMING.
    ['ausrc_srate', '48000'],
    ['ausrc_channels', '2'],
    ['audio_path', '/usr/share/baresip'],
    ['rtp_ports', `${rtpBase}-${rtpBase + 39}`],
    ['rtcp_mux', 'no'],
    ['jitter_buffer_delay', '5-10'],
    ['module_path', '/usr/lib/baresip/modules'],
    ['module', 'g711.so'],
    ['module', 'alsa.so'],
    ['module', 'ausine.so'],
    ...(options.vumeter ? ([['module', 'vumeter.so']] as [string, string][]) : []),
    ...(options.record ? ([['module', 'sndfile.so'], ['snd_path', recordDir]] as [string, string][]) : []),
    ['module_tmp', 'uuid.so'],
    ['module_tmp', 'account.so'],
    ['module_app', 'menu.so'],
    ['module_app', 'ctrl_tcp.so'],
    ['ctrl_tcp_listen', `127.0.0.1:${ctrlPort}`],
    // Keeps the DNS client on loopback: every URI in the tests is an IP literal anyway.
    ['dns_server', '127.0.0.1:53'],
  ];
  return lines.map(([key, value]) => `${key}\t${value}`).join('\n') + '\n';
}

/** Starts one baresip and resolves once its ctrl_tcp port accepts connections. */
export async function startBaresip(name: string, options: BaresipOptions = {}): Promise<BaresipInstance> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const base = await freePorts(3);
    const sipPort = base;
    const ctrlPort = base + 2;
    const rtpBase = 20_000 + 40 * Math.floor(Math.random() * 299);
    const dir = mkdtempSync(path.join(tmpdir(), `cti-baresip-${name}-`));
    const configDir = path.join(dir, 'config');
    mkdirSync(configDir);
    const recordDir = path.join(dir, 'audio');
    if (options.record) mkdirSync(recordDir);
    writeFileSync(path.join(configDir, 'config'), config(sipPort, ctrlPort, rtpBase, options, recordDir));
    writeFileSync(
      path.join(configDir, 'accounts'),
      `<sip:${name}@127.0.0.1:${sipPort}>;regint=0;answermode=${options.answermode ?? 'manual'};audio_codecs=pcmu\n`,
    );
    writeFileSync(path.join(configDir, 'contacts'), '');
    const process = startProcess('baresip', ['-4', '-f', configDir], { cwd: dir });
    try {
      await waitForTcp(ctrlPort, process);
    } catch (error) {
      lastError = new Error(`${(error as Error).message}\n${processOutput(process)}`);
      await stopProcess(process);
      rmSync(dir, { recursive: true, force: true });
      continue; // most likely a port taken in between: try other ports
    }
    return {
      name,
      sipPort,
      ctrlPort,
      uri: `sip:${name}@127.0.0.1:${sipPort}`,
      dir,
      process,
      log: () => processOutput(process),
      stop: async () => {
        await stopProcess(process);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError instanceof Error ? lastError : new Error('baresip did not start');
}
