import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { requireSupportedNode } from './scripts/require-node.mjs';

// Tests on another Node than the one production runs prove little: refuse them loudly.
requireSupportedNode();

const require = createRequire(import.meta.url);

export default defineConfig({
  // @apollo/subgraph (CommonJS) and our ESM code must share one graphql module, or schema
  // objects from one are foreign to the other ("another module or realm").
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: [
      '{packages,subgraphs}/*/src/**/*.test.ts',
      'gateway/src/**/*.test.ts',
      '{packages,subgraphs}/*/test/**/*.test.ts',
      'gateway/test/**/*.test.ts',
      'clients/*/src/**/*.test.ts',
      // End-to-end tests through the gateway, and tests/browser/: real Chromium against the
      // example web app (Debian's chromium package).
      'tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/__generated__/**'],
    // Migrates one template database per subgraph; test files copy them.
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    pool: 'forks',
    // Two cores: more parallel files only fight over them.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
