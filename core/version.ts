import packageJson from '../package.json' with { type: 'json' };

// Bundled at build time, so the CLI, the web host and the shell report package.json's version.
export const appVersion: string = packageJson.version;
