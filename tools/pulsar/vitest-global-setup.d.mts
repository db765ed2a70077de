import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pulsarUrl: string;
    pulsarAdminUrl: string;
  }
}

export default function setup(project: TestProject): Promise<void>;
