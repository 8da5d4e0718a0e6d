// Three projects: fast unit tests beside the code, the integration suite under test/ (real
// databases, real sockets, real tools), and the few integration files that load the machine by
// design, run last and alone. `npm test` runs all three.
import { defineConfig } from 'vitest/config';

/**
 * Files that start dozens of simulated machines at once: beside other files they compete for
 * the two cores and their deadlines, so they get the machine to themselves, after the rest.
 */
const alone = ['test/picloud/durability.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'integration',
          // Unit tests run first; the integration suite after them, two files at a time.
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: alone,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration-alone',
          sequence: { groupOrder: 2 },
          include: alone,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
