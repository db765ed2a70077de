// Preloaded into a service (`--import` through NODE_OPTIONS, which cannot carry `--cpu-prof`): profiles
// the process from start to exit with the inspector and writes `<pid>.cpuprofile` into
// BENCH_CPU_PROFILE_DIR. A same-thread inspector session answers synchronously, so the profile can be
// taken in the `exit` handler, after the service drained.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
