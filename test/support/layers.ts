import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering of DESIGN.md ("Parts and where they live") as data, and a check of every import
 * in the source folders against it. A regular-expression scan rather than the compiler: it needs
 * no build, sees type-only and dynamic imports alike, and runs in a unit test in well under a second.
 */
export const layers = ['electron', 'core', 'server', 'renderer', 'shared', 'cli'] as const;
export type Layer = (typeof layers)[number];

/** What each layer may import besides itself (a folder, or a sub-folder such as server/lab). */
export const allowed: Record<Layer, string[]> = {
  // The shell hosts the embedded lab server, and nothing else of the server.
  electron: ['core', 'shared', 'server/lab'],
  cli: ['core', 'server', 'shared'],
  server: ['core', 'shared'],
  core: ['shared'],
  renderer: ['shared'],
  shared: [],
};

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const sourceFile = /\.(c|m)?(t|j)sx?$/;
const importPatterns = [
  /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

function* walk(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (sourceFile.test(e.name) && !e.name.endsWith('.d.ts')) yield path;
  }
}

export function importsOf(source: string): string[] {
  const found = new Set<string>();
  for (const pattern of importPatterns) for (const m of source.matchAll(pattern)) found.add(m[1]!);
  return [...found];
}

/** Every import in the tree under root that crosses a layer boundary the design does not allow. */
export function layerViolations(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const layer of layers) {
    for (const file of walk(join(root, layer))) {
      const rel = relative(root, file).split(sep).join('/');
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), specifier))
            .split(sep)
            .join('/');
          const targetLayer = target.split('/')[0]!;
          if (targetLayer === layer) continue;
          // The package's own manifest (name, version) may be read by the Node layers.
          if (target === 'package.json' && layer !== 'renderer' && layer !== 'shared') continue;
          const ok = allowed[layer].some((a) => target === a || target.startsWith(`${a}/`));
          if (!ok) {
            const may = allowed[layer].length ? allowed[layer].join(', ') : 'nothing outside shared/';
            violations.push({ file: rel, specifier, rule: `${layer}/ may import ${may}; not ${target}` });
          }
        } else if ((specifier === 'electron' || specifier.startsWith('electron/')) && layer !== 'electron') {
          violations.push({ file: rel, specifier, rule: 'only electron/ imports Electron' });
        } else if (layer === 'renderer' && builtins.has(specifier.split('/')[0]!)) {
          violations.push({ file: rel, specifier, rule: 'renderer/ runs in the browser: no Node module' });
        }
      }
    }
  }
  return violations;
}
