import { defineConfig } from 'vitest/config';

// Unit tests only (config writers, resolver, helpers): no Java, no Maven, no broker.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
