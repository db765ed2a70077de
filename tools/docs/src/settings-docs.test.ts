import { describe, expect, it } from 'vitest';
import { renderReadme, settingsTables } from './settings-docs';

// The READMEs' settings tables are generated from the services' schemas; this fails when a setting
// was added, removed or re-documented without regenerating them (npm run docs:settings).
describe('settings tables in the READMEs', () => {
  for (const { file, table } of settingsTables()) {
    it(`${file} matches its schema`, async () => {
      const { current, wanted } = await renderReadme(file, table);
      expect(current).toBe(wanted);
    });
  }
});
