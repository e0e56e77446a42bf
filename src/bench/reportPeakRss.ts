/**
 * Preload (`node --import`) for child processes the bench does not own the code of, such as the CLI: on exit,
 * prints the process's peak resident set size (worker threads included) to stderr for the bench to read.
 */
process.on('exit', () => {
  process.stderr.write(`\nZHSEARCH_BENCH_PEAK_RSS=${process.resourceUsage().maxRSS * 1024}\n`);
});
