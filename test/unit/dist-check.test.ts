import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Check = (projectDir?: string, configPath?: string) => Promise<string[]>;
const modulePath = '../../scripts/dist-check.mjs';
const { checkPackaging } = (await import(/* @vite-ignore */ modulePath)) as { checkPackaging: Check };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-distcheck-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A configuration derived from the real one with one change, as a file electron-builder loads. */
async function variant(name: string, change: string): Promise<string> {
  const path = join(dir, `${name}.cjs`);
  const real = resolve('build/electron-builder.config.cjs');
  await writeFile(
    path,
    `const c = structuredClone(require(${JSON.stringify(real)}));\n${change}\nmodule.exports = c;\n`,
  );
  return path;
}

describe('npm run dist:check', { timeout: 120_000 }, () => {
  it("refuses what electron-builder's own schema refuses", async () => {
    const problems = await checkPackaging(
      process.cwd(),
      await variant('schema', 'c.linux.bogusOption = true;'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/does not match the API schema/);
  });

  it('reports an unset fuse, a missing target and a missing file association', async () => {
    const problems = await checkPackaging(
      process.cwd(),
      await variant(
        'fuses',
        "c.electronFuses.runAsNode = true; c.linux.target = ['AppImage']; c.linux.fileAssociations = [];",
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'electronFuses.runAsNode must be false',
        'linux must build deb',
        'linux.fileAssociations must open .siteshift.json exports (with a mimeType)',
      ]),
    );
  });

  it('refuses associations that would take .json from the default editor on Windows or macOS', async () => {
    const problems = await checkPackaging(
      process.cwd(),
      await variant(
        'associations',
        "c.fileAssociations = [{ ext: 'siteshift.json' }]; c.mac.fileAssociations[0].rank = 'Default';" +
          " c.win.fileAssociations = [{ ext: 'json' }]; delete c.nsis.include;",
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'fileAssociations must be set per platform (linux, mac), not for every OS at once',
        "mac.fileAssociations must list Siteshift for .json with rank 'Alternate' (never the default)",
        'win.fileAssociations must not take .json from the default editor',
        "nsis.include must add Siteshift to .json's OpenWithProgids and remove it on uninstall",
      ]),
    );
  });

  it('reports tests, sources and development tools that would reach the asar', async () => {
    const problems = await checkPackaging(
      process.cwd(),
      await variant(
        'files',
        "c.files = [...c.files.filter((p) => !p.includes('node_modules')), 'test/unit/**', 'shared/**'];",
      ),
    );
    expect(problems.some((p) => /^test\/unit\/.*tests must stay out of the asar/.test(p))).toBe(true);
    expect(problems.some((p) => /^shared\/contract\.ts: sources must stay out/.test(p))).toBe(true);
    expect(problems).toEqual(
      expect.arrayContaining(['node_modules/tsx (a development tool) would be in the asar']),
    );
  });
});
