import { defineConfig } from 'vitest/config';

// The image checks build the services and install production dependencies: minutes, not seconds.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 600_000 },
});
