// `npm run dist:check`: everything electron-builder would refuse or get wrong, checked without
// Electron's binary (which cannot be downloaded everywhere): the configuration against
// electron-builder's own schema (its config loading and validateConfiguration), the identity and
// targets, the fuses, the icons, and what the asar would hold — every file the packaged app loads
// is inside `files`, and no source, test, source map or development tool is.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export const CONFIG = 'build/electron-builder.config.cjs';

export const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

/** Native add-ons that their packages load inside try/catch and work without. */
export const OPTIONAL_MODULES = new Set(['bufferutil', 'utf-8-validate', 'pg-native', 'cpu-features']);

/** Development tools that must never reach the asar, whatever pulls them in. */
export const DEV_ONLY = [
  'electron',
  'electron-builder',
  'app-builder-lib',
  'vite',
  'vitest',
  'typescript',
  'playwright-core',
  '@biomejs/biome',
  'png2icons',
  'esbuild',
  'tsx',
];

export async function loadConfig(projectDir, configPath = CONFIG) {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(projectDir, resolve(projectDir, configPath), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** A filter with electron-builder's own matching of the `files` patterns. */
function filesFilter(projectDir, config, extraPatterns = []) {
  const { FileMatcher } = require('app-builder-lib/out/fileMatcher');
  // getConfig normalises `files` to [{filter: [...]}]; plain strings are accepted too.
  const patterns = [config.files ?? []]
    .flat()
    .flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
  const matcher = new FileMatcher(projectDir, projectDir, (s) => s, [...patterns, ...extraPatterns]);
  return matcher.createFilter();
}

function walk(dir, filter, out, skip) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip.has(path)) continue;
    const stat = statSync(path);
    if (!filter(path, stat)) continue;
    if (stat.isDirectory()) walk(path, filter, out, skip);
    else out.push(path);
  }
  return out;
}

/**
 * electron-builder's matching of node_modules: everything, minus the negated `files` patterns
 * (as its getNodeModuleFileMatcher does: "**\/*" first, then the patterns).
 */
function nodeModulesFilesFilter(projectDir, config) {
  const { FileMatcher } = require('app-builder-lib/out/fileMatcher');
  const patterns = [config.files ?? []]
    .flat()
    .flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
  return new FileMatcher(projectDir, projectDir, (s) => s, [
    '**/*',
    ...patterns.filter((p) => p.startsWith('!')),
  ]).createFilter();
}

/** The app files (outside node_modules) the asar would hold, relative to the project. */
export function appFiles(projectDir, config) {
  const filter = filesFilter(projectDir, config);
  const skip = new Set(
    ['node_modules', '.git', 'release', config.directories?.output ?? 'release'].map((d) =>
      join(projectDir, d),
    ),
  );
  return walk(projectDir, filter, [], skip).map((p) => relative(projectDir, p).split('\\').join('/'));
}

function pngSize(buf) {
  if (buf.subarray(1, 4).toString('latin1') !== 'PNG') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export /**
 * Exports are *.siteshift.json, and Windows and macOS match a file to an app by its last extension
 * only: a double-click can open Siteshift on Linux (shared-mime-info globs), while on Windows and
 * macOS Siteshift must be offered under "Open with" for .json without becoming its default.
 */
function checkAssociations(projectDir, config, problems) {
  const exts = (list) => (list ?? []).flatMap((a) => [a.ext].flat());
  if (exts(config.fileAssociations).length > 0)
    problems.push('fileAssociations must be set per platform (linux, mac), not for every OS at once');
  const linux = (config.linux?.fileAssociations ?? []).find((a) => exts([a]).includes('siteshift.json'));
  if (!linux?.mimeType)
    problems.push('linux.fileAssociations must open .siteshift.json exports (with a mimeType)');
  const mac = (config.mac?.fileAssociations ?? []).find((a) => exts([a]).includes('json'));
  if (mac?.rank !== 'Alternate')
    problems.push(
      "mac.fileAssociations must list Siteshift for .json with rank 'Alternate' (never the default)",
    );
  if (exts(config.win?.fileAssociations).includes('json'))
    problems.push('win.fileAssociations must not take .json from the default editor');
  const include = config.nsis?.include ? join(projectDir, config.nsis.include) : null;
  const script = include && existsSync(include) ? readFileSync(include, 'utf8') : '';
  if (!/\.json\\OpenWithProgids/.test(script) || !/!macro customUnInstall/.test(script))
    problems.push("nsis.include must add Siteshift to .json's OpenWithProgids and remove it on uninstall");
}

function checkIcons(projectDir, config, problems) {
  const dir = join(projectDir, config.linux?.icon ?? 'build/icons');
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    const file = join(dir, `${size}x${size}.png`);
    const dims = existsSync(file) ? pngSize(readFileSync(file)) : null;
    if (!dims || dims.width !== size || dims.height !== size)
      problems.push(
        `${relative(projectDir, file)} is missing or not a ${size}×${size} PNG: run npm run icons`,
      );
  }
  const ico = join(projectDir, config.win?.icon ?? '');
  if (!existsSync(ico) || readFileSync(ico).readUInt16LE(2) !== 1 || readFileSync(ico).readUInt16LE(4) < 4)
    problems.push(`${config.win?.icon} is missing or not a multi-size .ico: run npm run icons`);
  const icns = join(projectDir, config.mac?.icon ?? '');
  if (!existsSync(icns) || readFileSync(icns).subarray(0, 4).toString('latin1') !== 'icns')
    problems.push(`${config.mac?.icon} is missing or not an .icns: run npm run icons`);
}

/** Files the packaged main process loads by a path relative to its bundle. */
function bundleAssets(mainText) {
  const found = new Set();
  for (const m of mainText.matchAll(/["']\.{0,2}\/?([\w@.-]+\.(?:cjs|mjs|png|html))["']/g)) found.add(m[1]);
  return found;
}

export async function checkPackaging(projectDir = process.cwd(), configPath = CONFIG) {
  const problems = [];
  let config;
  try {
    config = await loadConfig(projectDir, configPath);
  } catch (err) {
    return [`${configPath}: ${String(err.message).split('\n')[0]}`];
  }
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));

  if (config.appId !== pkg.appId || !pkg.appId)
    problems.push(`appId must be package.json's appId (${pkg.appId})`);
  if (config.productName !== pkg.productName || !pkg.productName)
    problems.push(`productName must be package.json's productName (${pkg.productName})`);
  const targets = (platform) =>
    (config[platform]?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target));
  for (const [platform, wanted] of [
    ['linux', ['AppImage', 'deb']],
    ['win', ['nsis']],
    ['mac', ['dmg']],
  ])
    for (const t of wanted) if (!targets(platform).includes(t)) problems.push(`${platform} must build ${t}`);
  checkAssociations(projectDir, config, problems);

  for (const [fuse, value] of Object.entries(REQUIRED_FUSES))
    if (config.electronFuses?.[fuse] !== value) problems.push(`electronFuses.${fuse} must be ${value}`);
  if (config.asar === false) problems.push('asar must be on');

  checkIcons(projectDir, config, problems);

  const files = appFiles(projectDir, config);
  const included = new Set(files);
  for (const f of files) {
    if (f.endsWith('.map')) problems.push(`${f}: source maps must stay out of the asar`);
    else if (/^test\//.test(f) || /\.test\.[cm]?[jt]sx?$/.test(f))
      problems.push(`${f}: tests must stay out of the asar`);
    else if (/\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
      problems.push(`${f}: sources must stay out of the asar`);
    else if (f !== 'package.json' && !f.startsWith('dist/'))
      problems.push(`${f}: only dist/ and package.json belong in the asar`);
  }

  const closure = productionClosure(projectDir);
  // What the packaged app loads: package.json's main, then whatever the main bundle loads by path.
  const main = pkg.main;
  if (!included.has(main))
    problems.push(`package.json main (${main}) is not inside files, or not built: run npm run build`);
  const mainDir = main.split('/').slice(0, -1).join('/');
  if (existsSync(join(projectDir, main))) {
    const text = readFileSync(join(projectDir, main), 'utf8');
    const wanted = [...bundleAssets(text)].map((f) =>
      f === 'index.html' ? 'dist/renderer/index.html' : `${mainDir}/${f}`,
    );
    for (const f of ['preload.cjs', 'icon.png', 'tray.png'])
      if (!bundleAssets(text).has(f))
        problems.push(`${main} no longer refers to ${f}; update scripts/dist-check.mjs`);
    for (const f of wanted)
      if (!included.has(f)) problems.push(`${f} is loaded by the app but not inside files (or not built)`);

    // Modules the bundle leaves external come from node_modules: production dependencies only.
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const external = new Set(
      [...text.matchAll(/require\("([^"./][^"]*)"\)/g)]
        .map((m) => m[1])
        .filter((m) => !builtins.has(m) && !builtins.has(m.split('/')[0])),
    );
    for (const spec of external) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (name === 'electron' || OPTIONAL_MODULES.has(name)) continue;
      if (!closure.has(name)) problems.push(`${main} requires ${spec}, which is not a production dependency`);
    }
  }
  // Without it the embedded lab server still works, but its first start runs initdb (~700 MB).
  for (const f of ['dist/pglite/pgdata.tar.gz', 'dist/pglite/pgdata.json'])
    if (!included.has(f))
      problems.push(`${f} (the PGlite database template) is not inside files, or not built`);
  problems.push(...checkExportFonts(projectDir, config, closure));
  // Development tools pulled in by a production dependency must be kept out by files patterns
  // (this reads the configuration and node_modules only: it holds before anything is built).
  const nodeModulesFilter = nodeModulesFilesFilter(projectDir, config);
  for (const name of DEV_ONLY) {
    if (!closure.has(name)) continue;
    const path = join(projectDir, 'node_modules', name, 'package.json');
    if (nodeModulesFilter(path, statSync(path)))
      problems.push(`node_modules/${name} (a development tool) would be in the asar`);
  }
  return problems;
}

/** The font files the PDF/PNG exports load (core/topology/export/fonts.json, read by fonts.ts). */
export function exportFontFiles(projectDir) {
  return JSON.parse(readFileSync(join(projectDir, 'core/topology/export/fonts.json'), 'utf8')).map(
    (f) => `node_modules/${f.file}`,
  );
}

/**
 * Each export font must reach the packaged app: its package a production dependency, the file kept
 * by the `files` patterns and unpacked from the asar (resvg reads it natively, outside Electron's
 * asar support).
 */
function checkExportFonts(projectDir, config, closure) {
  const problems = [];
  const keep = nodeModulesFilesFilter(projectDir, config);
  const unpack = [config.asarUnpack ?? []].flat();
  for (const file of exportFontFiles(projectDir)) {
    const parts = file.split('/');
    const name = parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
    const path = join(projectDir, file);
    if (!closure.has(name))
      problems.push(`${file}: ${name} must be a production dependency (the exports load it)`);
    else if (!existsSync(path)) problems.push(`${file} is missing: run npm install`);
    else if (!keep(path, statSync(path)))
      problems.push(`${file} is loaded by the exports but excluded by files`);
    if (!unpack.includes(file))
      problems.push(`${file} must be in asarUnpack (resvg cannot read inside the asar)`);
  }
  return problems;
}

/** The packages npm installs without dev dependencies: what electron-builder copies into the asar. */
function productionClosure(projectDir) {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    shell: process.platform === 'win32',
  });
  return new Set(
    out
      .split('\n')
      .filter((l) => l.includes('node_modules'))
      .map((l) =>
        l
          .split(/[\\/]node_modules[\\/]/)
          .at(-1)
          .split('\\')
          .join('/'),
      ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await checkPackaging();
  if (problems.length) {
    process.stderr.write(
      `dist:check found ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    'dist:check: configuration valid, fuses set, icons rendered, asar holds what the app loads and nothing else\n',
  );
}
