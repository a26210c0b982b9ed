import { describe, expect, it } from 'vitest';
import { endpointCreateInputSchema, siteCreateInputSchema } from '../../shared/configserver/schemas';
import { formatZodError } from '../../shared/errors';
import { findUnsafeInput, printable } from '../../shared/input-guard';
import { connectionAddInputSchema } from '../../shared/schemas/connection';

const trust = { kind: 'thumbprint', thumbprint: 'ab'.repeat(32) } as const;

describe('credentials never inside a URL', () => {
  for (const url of [
    'https://root:hunter2@vc.example/sdk',
    'https://root@vc.example/sdk',
    'https://:hunter2@vc.example/sdk',
  ]) {
    it(`a console connection refuses ${url.replace('hunter2', 'PASS')}, without echoing the password`, () => {
      const r = connectionAddInputSchema.safeParse({
        name: 'vc',
        site: 'primary',
        target: { kind: 'vsphere', url, username: 'root' },
        secrets: { password: 'x' },
        trust,
      });
      expect(r.success).toBe(false);
      const message = formatZodError(r.error!);
      expect(message).toContain('put no user name or password in the URL');
      expect(message).not.toContain('hunter2');
    });

    it(`a configuration-server endpoint refuses ${url.replace('hunter2', 'PASS')}`, () => {
      const r = endpointCreateInputSchema.safeParse({
        site: 'ams',
        name: 'vc',
        target: { kind: 'vsphere', url, username: 'root' },
        secrets: { password: 'x' },
        trust,
      });
      expect(r.success).toBe(false);
    });
  }

  it('a configuration-server connection in the console refuses them too, and accepts a clean URL', () => {
    const base = { name: 'cs', site: 'primary', secrets: { token: 't' }, trust } as const;
    expect(
      connectionAddInputSchema.safeParse({
        ...base,
        target: { kind: 'configserver', url: 'https://a:b@cs.example' },
      }).success,
    ).toBe(false);
    expect(
      connectionAddInputSchema.safeParse({
        ...base,
        target: { kind: 'configserver', url: 'https://cs.example:8443' },
      }).success,
    ).toBe(true);
  });
});

describe('names, hosts and secrets are bounded one-line text', () => {
  it('refuses line breaks and tabs in a name, and an overlong one', () => {
    for (const name of ['a\nb', 'a\tb', 'x'.repeat(101)]) {
      expect(siteCreateInputSchema.safeParse({ name, role: 'primary' }).success, JSON.stringify(name)).toBe(
        false,
      );
    }
    expect(siteCreateInputSchema.safeParse({ name: ' Amsterdam DC-1 ', role: 'primary' }).data?.name).toBe(
      'Amsterdam DC-1',
    );
  });

  it('refuses a Hyper-V host with spaces, @ or a path, and a secret past its size', () => {
    const input = (host: string, password = 'p') => ({
      name: 'hv',
      site: 'primary',
      target: { kind: 'hyperv', host, port: 22, username: 'admin' },
      secrets: { password },
      trust: { kind: 'host-key', fingerprint: `SHA256:${'A'.repeat(43)}`, algorithm: 'ssh-ed25519' },
    });
    for (const host of ['a b', 'u@h', 'h/x', ''])
      expect(connectionAddInputSchema.safeParse(input(host)).success).toBe(false);
    expect(connectionAddInputSchema.safeParse(input('hv-01.example')).error?.issues ?? []).toEqual([]);
    expect(connectionAddInputSchema.safeParse(input('hv-01', 'x'.repeat(1025))).success).toBe(false);
  });
});

describe('the input guard in front of every schema', () => {
  it('finds control characters in values and keys, prototype keys and deep nesting, with where they are', () => {
    expect(findUnsafeInput({ a: ['ok', 'b\u0000'] })?.text).toBe(
      'input.a[1] contains a control character (such as NUL or ESC); remove it',
    );
    expect(findUnsafeInput({ 'k\u001b': 1 })?.text).toContain('has a key with a control character');
    expect(findUnsafeInput(JSON.parse('{"x":{"__proto__":{}}}'))?.text).toContain('input.x.__proto__');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeInput(deep)?.text).toContain('nested deeper than 32 levels');
    expect(findUnsafeInput({ pem: '-----BEGIN KEY-----\r\nabc\n\tdef' })).toBeNull();
  });

  it('prints control characters escaped', () => {
    expect(printable('a\u0000b\u001b[2J')).toBe('a\\u0000b\\u001b[2J');
  });
});
