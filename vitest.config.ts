import { defineConfig } from 'vitest/config';

// One run covers one database (TEST_DATABASE=sqlite|postgresql); `npm test` runs both.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
