import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PYTHON_PULSAR_CLIENT_VERSION, ensurePythonPulsarClient, pythonClientDir } from './python-client';

// A stand-in for python3: `-m venv DIR` makes DIR/bin/python, a script that logs its arguments. So the
// venv logic (create once, reuse while complete, redo a half-made one) runs without PyPI.
let scratch: string;
let calls: string;
const saved = { cache: process.env.PATTERNMESH_PYTHON_CACHE, python: process.env.PATTERNMESH_PYTHON };

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-pyvenv-'));
  calls = path.join(scratch, 'calls.log');
  const venvPython = `#!/bin/sh\necho "python $*" >> ${calls}\n`;
  const base = path.join(scratch, 'python3');
  fs.writeFileSync(
    base,
    `#!/bin/sh\necho "base $*" >> ${calls}\nmkdir -p "$3/bin"\nprintf '%s' '${venvPython}' > "$3/bin/python"\nchmod +x "$3/bin/python"\n`,
    { mode: 0o755 },
  );
  process.env.PATTERNMESH_PYTHON_CACHE = path.join(scratch, 'cache');
  process.env.PATTERNMESH_PYTHON = base;
});

afterEach(() => {
  for (const [key, value] of [
    ['PATTERNMESH_PYTHON_CACHE', saved.cache],
    ['PATTERNMESH_PYTHON', saved.python],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  fs.rmSync(scratch, { recursive: true, force: true });
});

const log = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : []);

describe('the Python client venv', () => {
  it('is created once with the pinned packages, then reused; a half-made one is made again', async () => {
    expect(pythonClientDir()).toBe(
      path.join(scratch, 'cache', `pulsar-client-${PYTHON_PULSAR_CLIENT_VERSION}-protobuf-7.36.2`),
    );
    const first = await ensurePythonPulsarClient();
    expect(first).toMatchObject({ created: true, python: path.join(pythonClientDir(), 'bin', 'python') });
    expect(log()).toEqual([
      `base -m venv ${pythonClientDir()}`,
      expect.stringMatching(/^python -m pip install .*pulsar-client==3\.13\.0 protobuf==7\.36\.2$/),
      'python -c import pulsar, google.protobuf.message_factory',
    ]);

    fs.rmSync(calls);
    expect(await ensurePythonPulsarClient()).toMatchObject({ created: false });
    expect(log()).toEqual([]);

    // A run killed mid-install leaves no marker: the venv is not trusted.
    fs.rmSync(path.join(pythonClientDir(), '.complete'));
    expect(await ensurePythonPulsarClient()).toMatchObject({ created: true });
    expect(log()[0]).toBe(`base -m venv ${pythonClientDir()}`);
  });
});
