// Two projects: fast unit tests beside the code, and the integration suite under test/
// (real databases, real sockets, real tools). `npm test` runs both.
import { defineConfig } from 'vitest/config';

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
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
