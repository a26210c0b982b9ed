// pino-roll ships no types; this is the part of its API core/log.ts uses (see its README).
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    /** Passed to sonic-boom. */
    mkdir?: boolean;
    sync?: boolean;
    mode?: number;
  }
  export default function pinoRoll(
    options: PinoRollOptions,
  ): Promise<DestinationStream & { flushSync(): void; end(): void }>;
}
