import { describe, expect, it } from 'vitest';
import { createAuthMode } from './auth-mode.js';

function credentials(configured: boolean) {
  const store = {
    configured,
    checks: 0,
    credentialsConfigured: async () => (store.checks++, store.configured),
  };
  return store;
}

describe('createAuthMode', () => {
  it('auto: open until credentials exist, then required for good without asking the database again', async () => {
    const store = credentials(false);
    const mode = createAuthMode('auto', store);
    expect(await mode.current()).toBe('open');
    expect(await mode.current()).toBe('open');
    store.configured = true;
    expect(await mode.current()).toBe('required');
    const checks = store.checks;
    store.configured = false;
    expect(await mode.current()).toBe('required');
    expect(store.checks).toBe(checks);
  });

  it('required asks for credentials with none configured; open never does, even with keys', async () => {
    expect(await createAuthMode('required', credentials(false)).current()).toBe('required');
    expect(await createAuthMode('open', credentials(true)).current()).toBe('open');
  });
});
