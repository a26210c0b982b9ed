#!/usr/bin/env node
// `npm run fuzz [-- RUNS]`: the fuzz tests of test/integration/fuzz with many more cases than
// `npm test` runs, from a fresh seed that is printed (FUZZ_SEED=<seed> repeats a run).
// A script rather than inline variables so that it runs the same on Windows.
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '300';
const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
process.stderr.write(
  `fuzz: ${runs} cases per entry point from seed ${seed} (FUZZ_SEED=${seed} repeats it)\n`,
);
const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--project', 'integration', 'test/integration/fuzz'],
  {
    stdio: 'inherit',
    env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
  },
);
process.exit(result.status ?? 1);
