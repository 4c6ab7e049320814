import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // One DynamoDB Local and one S3 server for the whole run; files run in parallel against them,
    // each on its own table (and its own object keys), so they never see each other's data.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      // The SDK's notice that releases after January 2027 need Node 22, printed once per worker.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
