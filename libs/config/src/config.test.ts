import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, setting } from './config';

const schema = {
  PORT: setting.port('HTTP port', { default: 7400 }),
  MODE: setting.oneOf('bus adapter', ['embedded', 'pulsar'] as const, { default: 'embedded' }),
  KEYS: setting.pairs('API keys', { secret: true }),
  DRY: setting.bool('dry run', { default: true }),
};

describe('loadConfig', () => {
  it('applies defaults and parses types', () => {
    const config = loadConfig(schema, { KEYS: 'k1=acme,k2=globex' });
    expect(config).toEqual({ PORT: 7400, MODE: 'embedded', KEYS: { k1: 'acme', k2: 'globex' }, DRY: true });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: '99999', MODE: 'kafka', DRY: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT must be <= 65535/);
    expect(problems.join('\n')).toMatch(/MODE must be one of embedded, pulsar/);
    expect(problems.join('\n')).toMatch(/KEYS is required/);
    expect(problems.join('\n')).toMatch(/DRY must be true or false/);
  });

  it('masks secrets in the loggable view', () => {
    const config = loadConfig(schema, { KEYS: 'supersecret=acme' });
    expect(JSON.stringify(redactConfig(schema, config))).not.toContain('supersecret');
  });

  it('reads a ratio from 0 to 1 and refuses anything else', () => {
    const ratio = { RATIO: setting.ratio('sampling', { default: 0.01 }) };
    expect(loadConfig(ratio, {}).RATIO).toBe(0.01);
    expect(loadConfig(ratio, { RATIO: '0.25' }).RATIO).toBe(0.25);
    expect(loadConfig(ratio, { RATIO: '1' }).RATIO).toBe(1);
    for (const bad of ['1.5', '-0.1', 'half', '1e-2', 'NaN']) {
      expect(() => loadConfig(ratio, { RATIO: bad }), bad).toThrow(/RATIO must be a number from 0 to 1/);
    }
  });
});
