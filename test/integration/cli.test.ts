import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

function siteshift(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/siteshift.mjs', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('siteshift CLI', () => {
  it('prints help listing the command families', () => {
    const r = siteshift('--help');
    expect(r.code).toBe(0);
    for (const cmd of ['version', 'inventory', 'web', 'export', 'plan', 'protect', 'failover']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('--help loads the command table only: no schemas, logger, client or connector', () => {
    // What makes a bare call slow is what it loads; this says so without timing anything.
    const dir = mkdtempSync(join(tmpdir(), 'siteshift-imports-'));
    try {
      const trace = join(dir, 'imports.txt');
      const r = spawnSync(
        process.execPath,
        ['--import', './test/support/import-trace.mjs', 'bin/siteshift.mjs', '--help'],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, SITESHIFT_IMPORT_TRACE: trace } },
      );
      expect(r.status).toBe(0);
      const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
      expect(loaded.some((url) => url.includes('/node_modules/commander/'))).toBe(true);
      const heavy =
        /\/node_modules\/(zod|pino|pino-roll|ssh2|undici|ws|yaml|fastify|@fastify\/[^/]+|@electric-sql\/pglite|pg|pdfkit|fontkit|@resvg\/resvg-js)\//;
      expect(loaded.filter((url) => heavy.test(url))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its version', () => {
    const r = siteshift('version');
    expect(r).toMatchObject({ code: 0, stdout: `siteshift ${packageJson.version}\n` });
  });

  it('puts errors on stderr with a non-zero exit code', () => {
    const unknown = siteshift('frobnicate');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const noServer = siteshift('failback', 'x');
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toMatch(/no configuration server: pass --server URL or set SITESHIFT_SERVER/);

    const badPort = siteshift('web', '--port', 'eighty');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a number/);
  });

  it('refuses a failover type it does not know before calling any server', () => {
    const badType = siteshift('failover', 'web', '--type', 'sideways');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type must be one of test, planned, unplanned/);
  });
});
