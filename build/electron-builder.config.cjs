// Workstation packaging (electron-builder). The app id, product name and version come from
// package.json, so the installers, the running app (Windows AppUserModelId, macOS bundle id) and
// the About panel agree. `npm run dist:check` validates this file with electron-builder's own
// schema and checks what the asar would hold (scripts/dist-check.mjs).
const pkg = require('../package.json');
// The fonts the PDF and PNG exports embed (core/topology/export/fonts.ts reads the same list).
const exportFonts = require('../core/topology/export/fonts.json');

/** @type {import('app-builder-lib').Configuration} */
module.exports = {
  appId: pkg.appId,
  productName: pkg.productName,
  copyright: `Copyright © ${pkg.productName}`,
  directories: { output: 'release', buildResources: 'build' },
  // Only the bundles, the built renderer and package.json: the sources, tests and source maps
  // stay out, and production dependencies the bundles leave external come from node_modules.
  files: [
    'dist/electron/**',
    'dist/renderer/**',
    'dist/cli/**',
    // The database a new lab data folder starts from (server/pglite-template.ts).
    'dist/pglite/**',
    'package.json',
    '!**/*.map',
    '!**/*.{ts,tsx}',
    // tsx (and the esbuild it runs) lets a checkout run the CLI from source; the app runs bundles.
    '!**/node_modules/{tsx,esbuild,@esbuild}/**',
    // The font packages ship every weight and preview images: only the faces in fonts.json stay.
    '!**/node_modules/@expo-google-fonts/*/{100,200,300,500,600,700,800,900}*/**',
    '!**/node_modules/@expo-google-fonts/**/*.png',
    '!**/node_modules/dejavu-fonts-ttf/{fontconfig/**,status.txt,langcover.txt,unicover.txt,NEWS}',
    '!**/node_modules/dejavu-fonts-ttf/ttf/DejaVu{SansMono,Serif,SansCondensed,MathTeXGyre}*',
    '!**/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-{Oblique,BoldOblique,ExtraLight}.ttf',
  ],
  asar: true,
  // resvg (native code) reads the export fonts from disk, where it cannot see inside the asar.
  asarUnpack: exportFonts.map((f) => `node_modules/${f.file}`),
  // Fuses lock the shipped binary down: it cannot be run as plain Node, ignores NODE_OPTIONS and
  // inspector flags, and loads the app only from its checked asar.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  // Exported topologies (*.siteshift.json) open in Siteshift (the running instance, see
  // electron/main.ts). Each OS matches a file to an app by a different rule, so each gets its own
  // association: no top-level list, which would register the same thing everywhere.
  linux: {
    target: ['AppImage', 'deb'],
    category: 'System',
    icon: 'build/icons',
    synopsis: pkg.description,
    executableName: 'siteshift',
    // The deb installs a shared-mime-info type whose glob is *.siteshift.json; the longest glob
    // wins over *.json, so a double-click opens Siteshift (AppImages register no types).
    fileAssociations: [
      {
        ext: 'siteshift.json',
        name: 'Siteshift topology export',
        mimeType: 'application/vnd.siteshift.topology+json',
      },
    ],
  },
  deb: { priority: 'optional' },
  win: { target: ['nsis'], icon: 'build/icons/icon.ico' },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    shortcutName: pkg.productName,
    // Windows picks the handler by the last extension only (.json), and taking .json from the
    // operator's editor would be rude: the installer adds Siteshift to .json's "Open with" list.
    include: 'build/installer.nsh',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.utilities',
    icon: 'build/icons/icon.icns',
    hardenedRuntime: true,
    // LaunchServices also matches the last extension only: Siteshift is an alternate JSON viewer
    // (listed under "Open With", never the default); the app accepts only *.siteshift.json.
    fileAssociations: [{ ext: 'json', name: 'Siteshift topology export', role: 'Viewer', rank: 'Alternate' }],
  },
  dmg: { title: `${pkg.productName} ${pkg.version}` },
  // Updates come from the organisation's own server (a generic provider URL in its policy file,
  // read at run time), never from a vendor cloud: nothing is published from here.
  publish: null,
};
