/**
 * Runs the city demo until Ctrl-C (SIGINT) or SIGTERM, then stops every
 * part cleanly: `npx tsx demo/city-demo-main.ts [--dir <folder>] [--no-seed] [--free-ports]`.
 * Default folder `.urbis/demo`; default ports 8545 (chain), 4001 (Gijón),
 * 4002 (Oviedo), 4100 (terminal), 4200 (the browser wallet).
 */
import { parseArgs } from 'node:util';
import { startCityDemo, type CityDemo } from './city-demo.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '.urbis/demo' },
    'no-seed': { type: 'boolean', default: false },
    'free-ports': { type: 'boolean', default: false },
  },
});

let demo: CityDemo | undefined;
let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  if (demo === undefined) {
    // Still starting: startCityDemo finishes (or fails and cleans up), then the demo is stopped below.
    console.log(`\n${signal}: stopping once the parts being started are up…`);
    return;
  }
  console.log(`\n${signal}: stopping…`);
  demo.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  demo = await startCityDemo({
    baseDir: values.dir!,
    seed: values['no-seed'] !== true,
    ...(values['free-ports'] === true ? { ports: { chain: 0, gijon: 0, oviedo: 0, terminal: 0, wallet: 0 } } : {}),
    log: (line) => console.log(line),
  });
  if (stopping) {
    await demo.stop();
    process.exit(0);
  }
  console.log('Ctrl-C stops everything.');
} catch (error) {
  console.error('the demo could not start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
