import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsOf, layerViolations } from '../support/layers';

const root = resolve(__dirname, '../..');

describe('layers (DESIGN.md "Parts and where they live")', () => {
  it('hold on the tree', () => {
    expect(layerViolations(root)).toEqual([]);
  });

  describe('on a planted tree', () => {
    const tree = mkdtempSync(join(tmpdir(), 'siteshift-layers-'));
    afterAll(() => rmSync(tree, { recursive: true, force: true }));
    const plant = (file: string, source: string) => {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), source);
    };

    it('passes what the design allows', () => {
      plant('shared/a.ts', "export const a = 1;\nimport { b } from './b';\n");
      plant('shared/b.ts', 'export const b = 2;\n');
      plant('core/c.ts', "import { a } from '../shared/a';\nimport { readFile } from 'node:fs';\n");
      plant('server/s.ts', "import { c } from '../core/c';\nexport { a } from '../shared/a';\n");
      plant(
        'electron/main.ts',
        "import { app } from 'electron';\nimport { startLab } from '../server/lab/index';\n",
      );
      plant('cli/main.ts', "import { s } from '../server/s';\nimport '../core/c';\n");
      plant(
        'renderer/src/app.tsx',
        "import type { A } from '../../shared/a';\nimport { useState } from 'react';\n",
      );
      expect(layerViolations(tree)).toEqual([]);
    });

    it('fails on each forbidden import, naming the file and the rule', () => {
      plant('core/bad.ts', "import { Store } from '../server/store';\n");
      plant('shared/bad.ts', "const x = await import('../core/c');\n");
      plant(
        'renderer/src/bad.tsx',
        "import type { X } from '../../core/c';\nimport { join } from 'node:path';\n",
      );
      plant(
        'server/bad.ts',
        "import { ipcMain } from 'electron';\nimport type { W } from '../electron/main';\n",
      );
      plant(
        'electron/bad.ts',
        "import type { PreloadBridge } from '../renderer/src/api/bridge';\nimport { s } from '../server/s';\n",
      );
      plant(
        'core/multi.ts',
        "import {\n  type A,\n  b,\n} from '../renderer/src/app';\nconst r = require('../cli/main');\n",
      );
      const found = layerViolations(tree).map((v) => `${v.file} -> ${v.specifier}: ${v.rule}`);
      expect(found.sort()).toEqual(
        [
          'core/bad.ts -> ../server/store: core/ may import shared; not server/store',
          'core/multi.ts -> ../renderer/src/app: core/ may import shared; not renderer/src/app',
          'core/multi.ts -> ../cli/main: core/ may import shared; not cli/main',
          'shared/bad.ts -> ../core/c: shared/ may import nothing outside shared/; not core/c',
          'renderer/src/bad.tsx -> ../../core/c: renderer/ may import shared; not core/c',
          'renderer/src/bad.tsx -> node:path: renderer/ runs in the browser: no Node module',
          'server/bad.ts -> electron: only electron/ imports Electron',
          'server/bad.ts -> ../electron/main: server/ may import core, shared; not electron/main',
          'electron/bad.ts -> ../renderer/src/api/bridge: electron/ may import core, shared, server/lab; not renderer/src/api/bridge',
          'electron/bad.ts -> ../server/s: electron/ may import core, shared, server/lab; not server/s',
        ].sort(),
      );
    });
  });

  it('reads static, re-export, side-effect, dynamic and require imports', () => {
    const source = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export { c } from 'c';",
      "export * from 'd';",
      "import 'e';",
      "const f = await import('f');",
      "const g = require('g');",
      "import {\n  h,\n  type H,\n} from 'h';",
      "const notAnImport = 'from x';",
    ].join('\n');
    expect(importsOf(source).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
});
