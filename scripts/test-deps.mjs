#!/usr/bin/env node
// `npm run test:deps`: installs the Debian packages the tests need, only those missing, the way
// `playwright install-deps` does (apt-get, as root or through sudo). Then checks that the
// PostgreSQL server the store tests use answers. Node built-ins only: it runs before anything else.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Package, why the tests need it, and a file that proves it is installed (when dpkg is absent). */
const packages = [
  ['chromium', 'the browser tests (playwright-core drives /usr/bin/chromium)', '/usr/bin/chromium'],
  ['golang-go', 'building the vCenter simulator (vcsim)', '/usr/bin/go'],
  [
    'golang-github-vmware-govmomi-dev',
    "the vCenter simulator's sources (govmomi)",
    '/usr/share/gocode/src/github.com/vmware/govmomi',
  ],
  ['openssl', 'certificates for the TLS test servers', '/usr/bin/openssl'],
];

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function installed(name, proof) {
  if (has('dpkg-query')) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.includes('install ok installed');
  }
  return existsSync(proof);
}

const missing = packages.filter(([name, , proof]) => !installed(name, proof));
if (missing.length === 0) console.log('test:deps: the Debian packages the tests need are installed');
else {
  for (const [name, why] of missing) console.log(`test:deps: missing ${name} (${why})`);
  const names = missing.map(([name]) => name);
  if (!has('apt-get')) {
    console.error(
      `test:deps: this is not a Debian-like system (no apt-get); install ${names.join(', ')} or their equivalents by hand`,
    );
    process.exit(1);
  }
  const root = process.getuid?.() === 0;
  if (!root && !has('sudo')) {
    console.error(`test:deps: run as root: apt-get install -y ${names.join(' ')}`);
    process.exit(1);
  }
  const run = (args) => {
    const cmd = root ? args : ['sudo', ...args];
    console.log(`test:deps: ${cmd.join(' ')}`);
    execFileSync(cmd[0], cmd.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', ...names]);
  } catch {
    console.error(`test:deps: apt-get failed; install ${names.join(', ')} and run it again`);
    process.exit(1);
  }
}

// The store tests run against a real PostgreSQL as well as PGlite (DESIGN.md).
const pgUrl = new URL(process.env.SITESHIFT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test');
const answers = await new Promise((resolve) => {
  const socket = connect({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432), timeout: 2000 });
  socket.once('connect', () => {
    socket.end();
    resolve(true);
  });
  socket.once('timeout', () => {
    socket.destroy();
    resolve(false);
  });
  socket.once('error', () => resolve(false));
});
if (!answers) {
  console.error(
    `test:deps: no PostgreSQL answers on ${pgUrl.host}: the store tests need one with trust authentication and a database '${pgUrl.pathname.slice(1)}' (apt-get install postgresql, then start it), or set SITESHIFT_TEST_PG to one`,
  );
  process.exit(1);
}
console.log(`test:deps: PostgreSQL answers on ${pgUrl.host}`);
