// Run in a fresh `node` process by cold-start.ts: import one Lambda bundle, answer one API Gateway
// HTTP API (v2) event, print what it cost. With no argument it does nothing (the empty baseline).
// With `--import-only` (scheduled jobs: their one event is a run against DynamoDB) it only imports.
// `fetchLoaded`: whether Node loaded its own fetch implementation (undici) on the way.
const fetchLoaded = () => process.moduleLoadList.some((m) => m.includes('internal/deps/undici'));
const bundle = process.argv[2];
const path = process.argv[3] ?? '/health';
if (bundle && path === '--import-only') {
  const importStart = performance.now();
  await import(bundle);
  const imported = performance.now();
  process.stdout.write(JSON.stringify({ status: 0, importMs: imported - importStart, firstRequestMs: 0, maxRssKb: process.resourceUsage().maxRSS, fetchLoaded: fetchLoaded() }));
} else if (bundle) {
  const importStart = performance.now();
  const { handler } = await import(bundle);
  const imported = performance.now();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'api.example.com', domainPrefix: 'api', requestId: 'bench',
      routeKey: '$default', stage: '$default', time: '23/Nov/2026:00:00:00 +0000', timeEpoch: Date.now(),
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    },
    isBase64Encoded: false,
  };
  const response = await handler(event, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 });
  const answered = performance.now();
  process.stdout.write(
    JSON.stringify({ status: response.statusCode, importMs: imported - importStart, firstRequestMs: answered - imported, maxRssKb: process.resourceUsage().maxRSS, fetchLoaded: fetchLoaded() }),
  );
}
