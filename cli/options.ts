import { InvalidArgumentError } from 'commander';
import { CliError } from './io';

/** A port to listen on: 0 asks the system for a free one. */
export function parseListenPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be a number from 0 to 65535 (0: a free one), not "${value}"`, 2);
  return port;
}

/** A port to connect to. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError(`--port must be a number from 1 to 65535, not "${value}"`, 2);
  return port;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('give a number of seconds greater than 0');
  return n;
}

export const GiB = 1024 ** 3;

/** One of a closed list of words (the lists come from shared/names.ts, which loads no schema). */
export function choice(flag: string, allowed: readonly string[]) {
  return (value: string): string => {
    if (!allowed.includes(value))
      throw new CliError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`, 2);
    return value;
  };
}
