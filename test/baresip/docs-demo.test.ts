/**
 * docs/baresip.md's walk-through, run as a user runs it: the documented agent configuration
 * (test/fixtures/baresip/agent, its ports moved to free ones), the scripted caller, and the real
 * CLI's bridge and client processes. The bridge plays test/fixtures/baresip/scenario.yaml and
 * must pass; the caller (sipp) must see the hold and retrieve re-INVITEs and the final BYE.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freePorts,
  processOutput,
  startProcess,
  stopProcess,
  waitForTcp,
  type RunningProcess,
} from '../support/baresip-lab-process.js';
import { programAvailable } from '../support/require-program.js';

const baresip = programAvailable('baresip', 'baresip-core');
const sipp = programAvailable('sipp', 'sip-tester');
const FIXTURES = path.resolve('test/fixtures/baresip');

const running: RunningProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopProcess(process)));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function start(command: string, args: string[], cwd: string): RunningProcess {
  const process = startProcess(command, args, { cwd });
  running.push(process);
  return process;
}

function cli(args: string[]): RunningProcess {
  return start(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], process.cwd());
}

/** Polls until `read()` passes `test` (output of a process, a log file). */
async function until(read: () => string, test: RegExp, owner: RunningProcess): Promise<RegExpExecArray> {
  for (;;) {
    const match = test.exec(read());
    if (match) return match;
    if (owner.hasExited()) throw new Error(`process ${owner.pid} exited first:\n${processOutput(owner)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!baresip.available || !sipp.available)('docs/baresip.md, run as written', () => {
  it('a scripted caller rings the documented agent phone; the bridge answers, holds, retrieves, sends DTMF and releases', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cti-baresip-docs-'));
    folders.push(dir);
    const base = await freePorts(4);
    const [sipPort, ctrlPort, callerPort] = [base, base + 2, base + 3];
    const rtpBase = 20_000 + 100 * Math.floor(Math.random() * 119);
    mkdirSync(path.join(dir, 'agent'));
    const config = readFileSync(path.join(FIXTURES, 'agent/config'), 'utf8')
      .replaceAll('127.0.0.1:5060', `127.0.0.1:${sipPort}`)
      .replaceAll('127.0.0.1:4444', `127.0.0.1:${ctrlPort}`)
      .replace('20000-20099', `${rtpBase}-${rtpBase + 99}`);
    expect(config).toContain(`ctrl_tcp_listen\t\t127.0.0.1:${ctrlPort}`);
    writeFileSync(path.join(dir, 'agent/config'), config);
    writeFileSync(
      path.join(dir, 'agent/accounts'),
      readFileSync(path.join(FIXTURES, 'agent/accounts'), 'utf8').replaceAll('127.0.0.1:5060', `127.0.0.1:${sipPort}`),
    );
    writeFileSync(path.join(dir, 'agent/contacts'), '');

    const agent = start('baresip', ['-f', path.join(dir, 'agent')], dir);
    await waitForTcp(ctrlPort, agent);

    const caller = start(
      'sipp',
      [
        `127.0.0.1:${sipPort}`,
        ...['-sf', path.join(FIXTURES, 'caller.xml'), '-s', 'agent', '-i', '127.0.0.1', '-p', String(callerPort)],
        ...['-cid_str', 'cti-demo-1', '-m', '1', '-nostdin', '-trace_msg', '-trace_err', '-timeout', '90s', '-timeout_error'],
      ],
      dir,
    );
    const messages = () => {
      const file = readdirSync(dir).find((name) => name.endsWith('_messages.log'));
      return file ? readFileSync(path.join(dir, file), 'utf8') : '';
    };
    // The agent's phone rings (it sent 180) before the client starts.
    await until(messages, /SIP\/2\.0 180 Ringing/, caller);

    const bridge = cli(['bridge', '--listen', '127.0.0.1:0', '--scenario', 'test/fixtures/baresip/scenario.yaml']);
    const listening = await until(() => processOutput(bridge), /listening on 127\.0\.0\.1:(\d+)/, bridge);
    cli(['client', '--bridge', `127.0.0.1:${listening[1]}`, '--phone', 'baresip', '--baresip', `127.0.0.1:${ctrlPort}`]);

    expect(await bridge.exited, processOutput(bridge)).toBe(0);
    expect(await caller.exited, processOutput(caller)).toBe(0);
    // What the caller received: a hold (sendonly), a retrieve (sendrecv), then the agent's BYE.
    const log = messages();
    const hold = log.indexOf('a=sendonly');
    expect(hold).toBeGreaterThan(0);
    expect(log.indexOf('a=sendrecv', hold)).toBeGreaterThan(hold);
    expect(log).toMatch(/BYE sip:/);
  });
});
