import { defineConfig } from 'vitest/config';

// Each test starts the CLI as a child process (tsx compiles on the fly): give it time on 2 cores.
export default defineConfig({ test: { testTimeout: 60_000 } });
