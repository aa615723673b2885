import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../src/cli/host-port.js';
import { parseFlags } from '../../src/cli/parse-flags.js';
import { parseInspectFlag } from '../../src/cli/inspect-flag.js';
import { UsageError } from '../../src/cli/usage-error.js';

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseHostPort', () => {
  it('reads a host and a port, and an IPv6 host in brackets', () => {
    expect(parseHostPort('--bridge', '127.0.0.1:7001', 'hint')).toEqual({ host: '127.0.0.1', port: 7001 });
    expect(parseHostPort('--bridge', 'bridge.example:1', 'hint')).toEqual({ host: 'bridge.example', port: 1 });
    expect(parseHostPort('--bridge', '[::1]:4000', 'hint')).toEqual({ host: '::1', port: 4000 });
  });

  it('refuses text without a port, and ports out of range, saying which flag', () => {
    expect(usageErrorOf(() => parseHostPort('--bridge', '127.0.0.1', 'h')).message).toBe(
      '--bridge wants HOST:PORT, e.g. 127.0.0.1:4000',
    );
    expect(usageErrorOf(() => parseHostPort('--bridge', '127.0.0.1:70000', 'h')).message).toMatch(/port 70000/);
    expect(usageErrorOf(() => parseHostPort('--bridge', '127.0.0.1:0', 'h')).message).toMatch(/between 1 and 65535/);
  });

  it('lets a server ask for port 0', () => {
    expect(parseHostPort('--listen', '127.0.0.1:0', 'h', { allowPortZero: true }).port).toBe(0);
  });
});

describe('parseFlags', () => {
  const options = { json: { type: 'boolean' }, bridge: { type: 'string' }, inspect: { type: 'string' } } as const;

  it('names an unknown flag and hints at --help', () => {
    const error = usageErrorOf(() => parseFlags('demo', ['--colour'], options));
    expect(error.message).toBe('demo: unknown flag --colour');
    expect(error.hint).toBe('run `cti-conversation demo --help` to see the flags');
  });

  it('says when a flag lacks its value or has one it does not take, or an argument is stray', () => {
    expect(usageErrorOf(() => parseFlags('client', ['--bridge'], options)).message).toBe('client: --bridge needs a value');
    expect(usageErrorOf(() => parseFlags('demo', ['--json=yes'], options)).message).toBe('demo: --json takes no value');
    expect(usageErrorOf(() => parseFlags('demo', ['extra'], options)).message).toBe('demo: unexpected argument extra');
  });

  it('reads a bare --inspect as --inspect=local', () => {
    expect(parseFlags('demo', ['--inspect'], options).values.inspect).toBe('local');
    expect(parseFlags('demo', ['--inspect=stately'], options).values.inspect).toBe('stately');
  });
});

describe('parseInspectFlag', () => {
  it('knows local and stately, with or without a URL', () => {
    expect(parseInspectFlag('demo', undefined)).toBeUndefined();
    expect(parseInspectFlag('demo', 'local')).toEqual({ kind: 'local' });
    expect(parseInspectFlag('demo', 'stately')).toEqual({ kind: 'stately' });
    expect(parseInspectFlag('demo', 'stately=ws://127.0.0.1:8080')).toEqual({ kind: 'stately', url: 'ws://127.0.0.1:8080' });
  });

  it('refuses anything else', () => {
    expect(usageErrorOf(() => parseInspectFlag('demo', 'remote')).message).toBe('demo: --inspect does not know "remote"');
    expect(usageErrorOf(() => parseInspectFlag('demo', 'stately=http://x')).message).toMatch(/ws:\/\/ or wss:\/\//);
  });
});
