#!/usr/bin/env node
// Container health check (Dockerfile HEALTHCHECK, compose.yaml): exits 0 when `GET <path>` on
// this container's PORT answers 2xx within 4 s, else 1. Node's own fetch: the slim image has no
// curl. Usage: node bin/healthcheck.js /readyz
const path = process.argv[2] ?? '/livez';
const port = process.env.PORT || '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(4000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
