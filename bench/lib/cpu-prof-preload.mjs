// Preloaded with NODE_OPTIONS="--import .../cpu-prof-preload.mjs" (Node 20 refuses --cpu-prof
// there) and CPU_PROF_DIR set: SIGUSR2 starts a CPU profile of the process, the next SIGUSR2
// writes it to CPU_PROF_DIR/<pid>-<n>.cpuprofile (so a benchmark profiles only its window).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const dir = process.env.CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  let running = false;
  let n = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(`${dir}/${process.pid}-${n++}.cpuprofile`, JSON.stringify(res.profile));
    });
  });
}
