import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../workflows/bundle.js';

describe('Temporal workflow code', () => {
  it('bundles for the worker sandbox with only deterministic imports', async () => {
    const bundle = await bundleWorkflows();
    expect(bundle.code).toContain('runSync');
    // Node built-ins and our database code must never reach the sandbox.
    expect(bundle.code).not.toMatch(/require\(["'](node:)?(fs|net|crypto)["']\)/);
    expect(bundle.code).not.toContain('PrismaClient');
  }, 120_000);
});
