#!/usr/bin/env node
// Runs the TypeScript CLI through tsx in this one process, so `npx triage` and `npm start`
// work without a build step and a signal sent to this process reaches the server itself.
import { register } from 'tsx/esm/api';

// npm runs us through `sh -c` (npm exec, and npm scripts without `exec`), and npm passes
// SIGTERM to that shell only; Debian's dash then exits without passing it on, and we would
// keep serving as an orphan. The shell has no other job, so its going away is our SIGTERM.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  watch.unref();
}

register();
await import('../src/cli/main.ts');
