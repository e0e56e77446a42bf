/**
 * Preload (`node --import`) for child processes the bench does not own the code of, such as the CLI: on exit,
 * prints the process's peak resident set size and its CPU time (user + system of every thread, worker threads
 * included) to stderr for the bench to read. Worker threads inherit the preload and fire 'exit' when they end, with
 * the process's figures so far: only the main thread reports.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    process.stderr.write(`\nZHSEARCH_BENCH_PEAK_RSS=${process.resourceUsage().maxRSS * 1024}\nZHSEARCH_BENCH_CPU_US=${cpu.user + cpu.system}\n`);
  });
}
