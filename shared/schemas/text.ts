import { z } from 'zod';

/**
 * Text fields that every schema shares. Control characters are refused on every input before
 * any schema (shared/input-guard.ts); a name refuses line breaks and tabs as well, since it is
 * printed on one line in tables, logs and the CLI.
 */
export const nameText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'a name is one line of text: no line breaks, tabs or control characters');

/** A user name for an endpoint: one line, bounded. */
export const usernameText = nameText(256);

/** A host name or address. */
export const hostText = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[^\s\p{Cc}@/]+$/u, 'a host is a name or an address, without spaces, @ or /');

/**
 * An endpoint URL without credentials: a user:password@ in a URL is stored and shown to every
 * viewer of the endpoint, and lands in shell history. The user name and password have fields
 * (the password sealed) of their own.
 */
export const urlWithoutCredentials = (protocol: RegExp, error: string) =>
  z
    .url({ protocol, error })
    .max(2048)
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.username === '' && url.password === '';
      } catch {
        return false;
      }
    }, 'put no user name or password in the URL: give the user name in its field and the password where the form or the command asks for it');
