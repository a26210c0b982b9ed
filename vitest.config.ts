import { defineConfig } from 'vitest/config';

// Three projects so that `vitest run --project unit` stays fast while `npm test` runs them all.
// Each sets SITESHIFT_DATA_DIR to a folder of the run (test/support/global-setup.ts).
const globalSetup = ['test/support/global-setup.ts'];

export default defineConfig({
  test: {
    passWithNoTests: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          // Unit files share the workers with integration and browser files in `npm test`: on a
          // 2-core CI machine a key derivation or a PDF render that takes 0.7 s alone took over 5 s.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup,
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
