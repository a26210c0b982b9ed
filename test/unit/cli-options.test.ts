import { describe, expect, it } from 'vitest';
import { GiB, parseListenPort, parsePort, parseSeconds } from '../../cli/options';

describe('CLI option parsers (one of each)', () => {
  it('a listening port may be 0 (a free one), a port to connect to may not', () => {
    expect(parseListenPort('0')).toBe(0);
    expect(parseListenPort('8443')).toBe(8443);
    expect(() => parseListenPort('65536')).toThrow(
      '--port must be a number from 0 to 65535 (0: a free one), not "65536"',
    );
    expect(parsePort('22')).toBe(22);
    expect(() => parsePort('0')).toThrow('--port must be a number from 1 to 65535, not "0"');
    expect(() => parsePort('ssh')).toThrow('not "ssh"');
  });

  it('seconds are a positive number; GiB is binary', () => {
    expect(parseSeconds('1.5')).toBe(1.5);
    expect(() => parseSeconds('0')).toThrow('give a number of seconds greater than 0');
    expect(GiB).toBe(1073741824);
  });
});

describe('siteshift lab --help', () => {
  it('says once what a port left out means, for the server and the console', async () => {
    const { Command } = await import('commander');
    const { registerLab } = await import('../../cli/commands/lab');
    const program = new Command('siteshift');
    registerLab(program);
    const help = program.commands.find((c) => c.name() === 'lab')!.helpInformation();
    expect(help).toMatch(/--port <port>\s+configuration server port \(default: a free one\)\n/);
    expect(help).toMatch(/--web-port <port>\s+with --web: the console's port \(default: a free one\)\n/);
    expect(help).not.toContain('(default: 0)');
  });
});
