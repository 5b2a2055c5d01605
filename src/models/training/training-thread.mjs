// A training thread: runs the model trainings of training-jobs.ts for training-pool.ts. Plain
// JavaScript that registers tsx itself: a worker thread does not inherit the loader the main
// thread was started with (npm start, vitest, tsx).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { trainingJobs } = await import('./training-jobs.ts');

parentPort.on('message', ({ id, job, args }) => {
  try {
    const run = trainingJobs[job];
    if (!run) throw new Error(`no training job named ${job}`);
    parentPort.postMessage({ id, result: run(args) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.stack ?? error) });
  }
});
parentPort.postMessage({ ready: true });
