/**
 * `npm run bench`: measures bundle size, cold init, API latency and list latency at scale, prints
 * the tables and rewrites BENCHMARKS.md. A script, not a test: figures are reported, never asserted.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { BUNDLE_BUDGET_BYTES, JOB_ENTRIES, LAMBDA_ENTRIES } from '../../functions/lambda-entries';
import { bundleEntry, type BundleReport } from './bundle';
import { emptyNodeNote, firstRequestPath, measureColdStarts, type ColdStartReport, type ColdStartTarget } from './cold-start';
import { measureLatency, withStack, type LatencyRow } from './latency';
import { measureScale, WARM_UP_REQUESTS } from './scale';
import { stackPeakRss, type StackRss } from './rss';
import { faultsSection, measureFaults } from './faults';

const quick = process.argv.includes('--quick');
/** `--only=faults`: run that one section and put it into the BENCHMARKS.md already there, leaving the rest as it was. */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const FAULTS_COMMAND = 'npm run bench -- --only=faults';
/** Entries of test/bench/floor/: one dependency each (zod-first-request: zod-schemas plus a first validated request). */
const FLOORS = ['dynamodb-client', 'zod-schemas', 'zod-first-request', 'hono'];
/** Entries of test/bench/peers/: the issue's two small peers, each with the figures the issue quoted for it. */
const PEERS = [
  // Presigning is local work, so this peer answers one request like our functions do.
  { name: 'hono-presigner', quotedKb: 458, quotedMs: 64, requestPath: '/files/report.csv' },
  // Its one request is a GetItem, which needs a table: import only.
  { name: 'powertools-getitem', quotedKb: 503, quotedMs: 74, requestPath: undefined },
];
/** The issue's target: every function's init (import and first request, minus an empty node) below this. */
const TARGET_MS = 74;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => value.toFixed(1);
const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The faults drill, printed and returned as its BENCHMARKS.md section. */
async function faults(log: (line: string) => void): Promise<string> {
  log('\nFaults: DynamoDB Local paused under load…');
  const report = await measureFaults();
  log(JSON.stringify(report, null, 2));
  return faultsSection(report, FAULTS_COMMAND);
}

/** Replaces the faults section of BENCHMARKS.md (or adds it before the history), keeping every other figure. */
function replaceFaultsSection(section: string): void {
  const text = readFileSync('BENCHMARKS.md', 'utf8');
  const start = text.indexOf('## Faults: ');
  const next = (from: number) => {
    const at = text.indexOf('\n## ', from);
    return at === -1 ? text.length : at + 1;
  };
  const updated =
    start !== -1
      ? text.slice(0, start) + section + '\n\n' + text.slice(next(start + 1))
      : text.replace('## What the figures changed', `${section}\n\n## What the figures changed`);
  writeFileSync('BENCHMARKS.md', updated);
}

async function main() {
  const sections: string[] = [];
  const log = (line: string) => console.log(line);
  if (only === 'faults') {
    replaceFaultsSection(await faults(log));
    log('\nWrote the faults section of BENCHMARKS.md');
    return;
  }
  if (only !== undefined) throw new Error(`--only=${only}: only --only=faults is supported`);

  log('Bundling every Lambda entry as deployed…');
  const entries = [...LAMBDA_ENTRIES, ...JOB_ENTRIES];
  const bundles: BundleReport[] = [];
  for (const entry of entries) bundles.push(await bundleEntry(entry));
  const bundleTable = table(
    ['function', 'minified', 'gzip', 'budget', 'input modules', 'packages', 'largest five contributors'],
    bundles.map((b) => [
      b.name, kb(b.bytes), kb(b.gzipBytes), b.bytes <= BUNDLE_BUDGET_BYTES ? `ok (≤ ${kb(BUNDLE_BUDGET_BYTES)})` : '**over**', b.inputs, b.packages.length,
      b.largest.map((l) => `${l.path} ${kb(l.bytes)}`).join('; '),
    ]),
  );
  log(bundleTable);
  sections.push(`## Lambda bundles\n\nesbuild with the options in \`functions/lambda-entries.ts\` (ESM, node22, minified, AWS SDK v3 bundled and tree-shaken, \`@aws-sdk/credential-provider-node\` aliased to the environment-only provider, \`@fastify/busboy\` to a stub that refuses multipart bodies, \`Request\`/\`Response\`/\`Headers\` injected from \`@whatwg-node/node-fetch\`). Packages: ${bundles.map((b) => `${b.name}: ${b.packages.join(', ')}`).join(' — ')}.\n\n${bundleTable}`);

  const runs = quick ? 7 : 21;
  // As a stock example is deployed: the SDK's default credential chain (no alias of
  // @aws-sdk/credential-provider-node) and Node's own Request and Response (no inject); every other
  // option is ours (ESM, node22, minified, tree-shaken).
  const peerBundles: BundleReport[] = [];
  for (const peer of PEERS) peerBundles.push(await bundleEntry({ name: peer.name, entry: `test/bench/peers/${peer.name}.ts` }, { alias: {}, inject: [] }));
  // The peer whose request needs no network answers it beside the functions.
  const honoIndex = PEERS.findIndex((p) => p.requestPath);
  const honoPeer = PEERS[honoIndex]!;

  log(`\nCold init: ${runs} fresh node processes per function…`);
  // An API function answers its first route without a token (a 401 through router, auth and error
  // handler; /health for public); a scheduled job's one event is a run against DynamoDB, so it is only imported.
  // The Hono peer answers its request in the same call, so both see the same machine.
  const targets: ColdStartTarget[] = [
    ...entries.map((entry) => ({
      name: entry.name,
      requestPath: firstRequestPath(entry),
    })),
    { name: honoPeer.name, requestPath: honoPeer.requestPath },
  ];
  const coldAll = measureColdStarts(targets, [...bundles, peerBundles[honoIndex]!], runs);
  const cold = coldAll.slice(0, entries.length);
  const honoCold = coldAll[entries.length]!;
  const coldRow = (c: ColdStartReport, label = c.name) => [label, `${ms(c.initMs)} ms`, `${ms(c.importMs)} ms`, `${ms(c.firstRequestMs)} ms`, `${c.maxRssMb.toFixed(1)} MB`, c.status, c.fetchLoaded ? 'yes' : 'no'];
  const coldTable = table(
    ['function', 'init (median − empty node)', 'import', 'first request', 'peak RSS', 'status of the request', 'Node’s fetch client loaded'],
    [...cold.map((c) => coldRow(c)), coldRow(honoCold, `peer: ${honoPeer.name} (\`GET ${honoPeer.requestPath}\` presigns a download)`)],
  );
  log(coldTable);
  const firstRequests = cold.filter((c) => c.status !== 'import only').map((c) => c.firstRequestMs);
  sections.push(
    `## Cold init\n\nFor each function, ${runs} fresh \`node\` processes import the bundle and answer one API Gateway HTTP API v2 event (\`GET\` of the function's first route without a token, so a 401 through the router, the auth middleware and the error handler; \`/health\` for public). A scheduled job's one event is a run against DynamoDB, so for the job only the import is timed. The Hono presigner peer (below) answers its own request in the same call. Init is the median wall time of those processes minus the median of an ${emptyNodeNote} (${ms(cold[0]!.emptyNodeMs)} ms in this run). \`NODE_EXTRA_CA_CERTS\` is unset for every run. Import and first request are timed inside the process; peak RSS is the process's maxRSS.\n\nThe first request costs every API function ${ms(Math.min(...firstRequests))}–${ms(Math.max(...firstRequests))} ms, the Hono peer ${ms(honoCold.firstRequestMs)} ms. Most of the peer's is Node loading its fetch implementation (undici) for the first \`Request\` Hono's Lambda adapter builds; Node 20 and 22 load it on first use. Our bundles never load it: esbuild injects lighter \`Request\`, \`Response\` and \`Headers\` classes into them (\`functions/api/fetch-classes.ts\`; the last column is read from \`process.moduleLoadList\` after the request, and \`test/unit/bundle-budget.test.ts\` asserts it). The request stops at the 401, before a route's schemas are built: what a validated first request adds is in the next section.\n\n${coldTable}`,
  );

  log('\nWhat the dependencies cost alone…');
  const floors: BundleReport[] = [];
  for (const name of FLOORS) floors.push(await bundleEntry({ name, entry: `test/bench/floor/${name}.ts` }));
  const floorCold = measureColdStarts(FLOORS.map((name) => ({ name })), floors, runs);
  const floorTable = table(
    ['bundle', 'minified', 'init, import only (median − empty node)'],
    floorCold.map((c, i) => [`\`test/bench/floor/${c.name}.ts\``, kb(floors[i]!.bytes), `${ms(c.initMs)} ms`]),
  );
  log(floorTable);
  sections.push(
    `## What the dependencies cost alone\n\nThe same bundle options and runner as above, for small entries that load one dependency each the way every function does, so the functions' figures can be read against a floor measured on the same machine in the same run. Every schema is built on its first use (\`shared/schemas/zod.ts\`), and the cold-init request above stops at the 401, before validation; \`zod-first-request\` adds to \`zod-schemas\` what a function's first validated request builds for one of the largest request bodies (a proposal draft's schema, built and used once), so the difference of the two rows is what a real first request adds to the figures above.\n\n${floorTable}`,
  );

  log('\nPeers, measured in the same run…');
  // Peers and Accord's functions in one call: import only, the same runs, interleaving and empty-node baseline.
  const comparedBundles = [...peerBundles, ...bundles];
  const compared = measureColdStarts(comparedBundles.map(({ name }) => ({ name })), comparedBundles, runs);
  const peerRows = compared
    .map((c, i) => ({ c, bundle: comparedBundles[i]!, peer: PEERS.find((p) => p.name === c.name), withRequest: cold.find((x) => x.name === c.name) }))
    .sort((a, b) => a.c.initMs - b.c.initMs);
  const peerTable = table(
    ['bundle', 'minified', 'gzip', 'init, import only (median − empty node)', 'quoted by the issue (other machine)', 'init with its first request (Cold init above)'],
    peerRows.map(({ c, bundle, peer, withRequest }) => [
      peer ? `peer: \`test/bench/peers/${c.name}.ts\`` : `Accord: ${c.name}`,
      kb(bundle.bytes),
      kb(bundle.gzipBytes),
      `${ms(c.initMs)} ms`,
      peer ? `${peer.quotedKb} KB, ${peer.quotedMs} ms` : '—',
      peer ? (peer === honoPeer ? `${ms(honoCold.initMs)} ms` : 'import only') : withRequest!.status === 'import only' ? 'import only' : `${ms(withRequest!.initMs)} ms`,
    ]),
  );
  log(peerTable);
  const peerImports = compared.slice(0, PEERS.length);
  const ourImports = compared.slice(PEERS.length);
  const fastestPeer = Math.min(...peerImports.map((p) => p.initMs));
  const slowerThanAPeer = ourImports.filter((c) => c.initMs >= fastestPeer).map((c) => c.name);
  const apiCold = cold.filter((c) => c.status !== 'import only');
  const slowerThanHono = apiCold.filter((c) => c.initMs >= honoCold.initMs).map((c) => c.name);
  const overTarget = cold.filter((c) => c.initMs >= TARGET_MS).map((c) => `${c.name} (${ms(c.initMs)} ms)`);
  const factors = PEERS.map((p, i) => peerImports[i]!.initMs / p.quotedMs);
  const slowdown = PEERS.map((p, i) => `${p.name} ${factors[i]!.toFixed(1)}×`).join(', ');
  const meanFactor = factors.reduce((a, b) => a + b, 0) / factors.length;
  const machineSpeed =
    meanFactor > 1.15 ? `this machine is about ${meanFactor.toFixed(1)}× slower than the one the quotes came from`
    : meanFactor < 0.85 ? `this machine is about ${(1 / meanFactor).toFixed(1)}× faster than the one the quotes came from`
    : 'this machine runs them about as fast as the one the quotes came from';
  const verdict =
    `In this run the peers take ${slowdown} the time the issue quoted: ${machineSpeed}. ` +
    (slowerThanAPeer.length === 0
      ? `Every Accord function imports faster than both peers (Accord ${ms(Math.min(...ourImports.map((c) => c.initMs)))}–${ms(Math.max(...ourImports.map((c) => c.initMs)))} ms, the faster peer ${ms(fastestPeer)} ms), while bundling less. `
      : `Not every Accord function imports faster than both peers: ${slowerThanAPeer.join(', ')} ${slowerThanAPeer.length === 1 ? 'does' : 'do'} not. `) +
    (slowerThanHono.length === 0
      ? `With one request each, every API function is faster than the Hono peer with its request (${ms(Math.min(...apiCold.map((c) => c.initMs)))}–${ms(Math.max(...apiCold.map((c) => c.initMs)))} ms against ${ms(honoCold.initMs)} ms). `
      : `With one request each, ${slowerThanHono.join(', ')} ${slowerThanHono.length === 1 ? 'is' : 'are'} not faster than the Hono peer with its request (${ms(honoCold.initMs)} ms). `) +
    (overTarget.length === 0
      ? `Against the issue's absolute target, init below ${TARGET_MS} ms with the first request: every function is below it in this run (API functions ${ms(Math.min(...apiCold.map((c) => c.initMs)))}–${ms(Math.max(...apiCold.map((c) => c.initMs)))} ms; the scheduled job, import only, ${cold.filter((c) => c.status === 'import only').map((c) => `${ms(c.initMs)} ms`).join(', ')}; Cold init above).`
      : `Against the issue's absolute target, init below ${TARGET_MS} ms with the first request: ${overTarget.join(', ')} ${overTarget.length === 1 ? 'is' : 'are'} not below it in this run (Cold init above).`);
  log(verdict);
  sections.push(
    `## Peers, measured in the same run\n\nThe issue compares Accord with peers' figures measured on another day's machine (a Hono presigner example 458 KB and 64 ms, a Powertools example doing one GetItem 503 KB and 74 ms). The two small peers are rebuilt here as typical examples (\`test/bench/peers/\`: Hono with the S3 presigner, presigning a download and an upload; Powertools Logger, Metrics and Tracer with the DynamoDB document client and one \`GetCommand\`), bundled with the same esbuild options as our functions (ESM, node22, minified, tree-shaken, the AWS SDK bundled) except our alias of \`@aws-sdk/credential-provider-node\` and our injected fetch classes: a stock example keeps the SDK's default credential chain and Node's \`Request\` and \`Response\`. Peers and Accord's functions are then timed together, import only, in one call: ${runs} fresh \`node\` processes each, minus the median of an ${emptyNodeNote} (${ms(compared[0]!.emptyNodeMs)} ms in this run), sorted by init. Import only, because the Powertools peer's one request needs a table; the Hono peer's request (a presign) needs no network, so it is also timed with its request in the Cold init table. KB are 1024 bytes here; the issue's third peer, a research-data portal's API Lambda (8.6 MB, 685 ms), is not rebuilt.\n\n${verdict}\n\n${peerTable}`,
  );

  log('\nAPI latency on the local stack (autocannon)…');
  const { rows, raw, rss: latencyRss } = await measureLatency(quick ? [1, 10] : [1, 10, 50]);
  const latencyRow = (r: LatencyRow) => [r.route, r.connections, ms(r.p50), ms(r.p95), ms(r.p99), Math.round(r.rps), r.non2xx];
  const latencyTable = table(['route', 'connections', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'non-2xx'], [...rows.map(latencyRow), ...raw.map(latencyRow)]);
  const ratios = table(
    ['route', 'connections', 'p50 ratio over raw GetItem'],
    rows.map((r) => {
      const base = raw.find((x) => x.connections === r.connections && x.route.includes('GetItem'))!;
      return [r.route, r.connections, (r.p50 / Math.max(base.p50, 0.01)).toFixed(1)];
    }),
  );
  log(latencyTable);
  log(ratios);
  sections.push(
    `## API latency (local stack)\n\n\`npm start\`'s stack in-process (DynamoDB Local, the S3 server, every API context in one Node server), driven by autocannon for 4 s per row over HTTP on loopback. Submit rows send 150 requests, each on its own draft. Percentiles are exact, from every 2xx response's latency as autocannon reports it (its own histogram has no p95). The raw rows are the same SDK client calling DynamoDB Local directly with the same concurrency, measured in the same run. Download-mint rows send 150 requests per concurrency level, by the seeded member on the seeded running grant (each mint reads the grant, appends an audit event under the chain's conditional head, then presigns).\n\n${latencyTable}\n\n${ratios}`,
  );

  log('\nLists at scale…');
  const scaleSizes = quick ? [1_000, 10_000] : [1_000, 100_000];
  const { scale, rss } = await withStack(async (stack) => {
    const scale = await measureScale(stack, scaleSizes, log);
    return { scale, rss: stackPeakRss() };
  }, { dynamoInMemory: true });
  const [small, large] = scaleSizes as [number, number];
  const scaleTable = table(
    ['list (first page of 20)', `p50 at ${small.toLocaleString('en')}`, `p50 at ${large.toLocaleString('en')}`, 'ratio'],
    [...new Set(scale.map((s) => s.list))].map((list) => {
      const a = scale.find((s) => s.list === list && s.items === small)!;
      const b = scale.find((s) => s.list === list && s.items === large)!;
      return [list, `${ms(a.p50)} ms`, `${ms(b.p50)} ms`, (b.p50 / a.p50).toFixed(2)];
    }),
  );
  log(scaleTable);
  sections.push(
    `## Lists at scale\n\nProposals (one member organisation's, all awaiting review) and published datasets written in bulk (BatchWriteItem, 8 batches of 25 in flight) into DynamoDB Local, kept in memory for this section (its on-disk store took 109 s for 15k such items on this machine, in memory 13 s), then the first page of each list requested 40 times in sequence after ${WARM_UP_REQUESTS} warm-up requests; p50 shown. Audit events (one member organisation's, appended beyond the seeded chain) are written the same way: the admins' list is the newest 20 of the whole trail, the member's list the newest 20 of its organisation.\n\n${scaleTable}`,
  );
  const mb = (value: number | null) => (value ? `${value.toFixed(0)} MB` : 'n/a');
  const rssTable = table(['process', 'after the latency run (tables on disk, as `npm start`)', `after the scale run (${large.toLocaleString('en')} of each kind in memory)`], [
    ['API + S3 server + bench driver (one Node process)', mb(latencyRss.node), mb(rss.node)],
    ['DynamoDB Local (Java)', mb(latencyRss.dynamo), mb(rss.dynamo)],
  ]);
  log(rssTable);
  sections.push(`## Local stack memory\n\nPeak resident set (VmHWM, from /proc) of the stack's two processes: after the latency run, on a stack like \`npm start\`'s; and after the scale run, with every seeded item held in DynamoDB Local's memory. The Node figure is the bench process's high-water mark, so it includes the load generator.\n\n${rssTable}`);
  sections.push(await faults(log));

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = `# Benchmarks\n\nWritten by \`npm run bench\`${quick ? ' (--quick)' : ''} on ${new Date().toISOString()} — ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}. Figures are measured on this machine and vary with it; nothing here is asserted by a test except bundle bytes (budget ${kb(BUNDLE_BUDGET_BYTES)}, test/unit/bundle-budget.test.ts).\n`;
  const history = readFileSync('docs/benchmark-history.md', 'utf8');
  writeFileSync('BENCHMARKS.md', [header, ...sections, history].join('\n\n') + '\n');
  log('\nWrote BENCHMARKS.md');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
