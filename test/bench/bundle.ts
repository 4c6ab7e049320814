import { build, type BuildOptions, type Metafile } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { BUNDLE_BUDGET_BYTES, LAMBDA_BUNDLE_OPTIONS, type LambdaEntry } from '../../functions/lambda-entries';

export interface BundleReport {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly inputs: number;
  readonly packages: string[];
  readonly largest: { path: string; bytes: number }[];
  readonly code: string;
  readonly budget: number;
}

const packageOf = (path: string): string | null => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ?? null;
};

/**
 * Bundles one Lambda entry (API context or scheduled job) exactly as deployed and reports what went into it.
 * `overrides` replace options of `LAMBDA_BUNDLE_OPTIONS` (e.g. `{ alias: {} }` for a peer bundled without our alias).
 */
export async function bundleEntry(entry: Pick<LambdaEntry, 'name' | 'entry'>, overrides: BuildOptions = {}): Promise<BundleReport> {
  const result = await build({ ...LAMBDA_BUNDLE_OPTIONS, ...overrides, entryPoints: [entry.entry], write: false, metafile: true, outfile: `${entry.name}.mjs`, logLevel: 'silent' });
  const output = result.outputFiles!.find((f) => f.path.endsWith('.mjs'))!;
  const meta: Metafile = result.metafile!;
  const out = Object.values(meta.outputs)[0]!;
  const contributions = Object.entries(out.inputs).map(([path, info]) => ({ path, bytes: info.bytesInOutput }));
  const byPackage = new Map<string, number>();
  for (const c of contributions) {
    const key = packageOf(c.path) ?? c.path.replace(/^.*?(functions|shared)\//, '$1/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + c.bytes);
  }
  return {
    name: entry.name,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents).byteLength,
    inputs: Object.keys(meta.inputs).length,
    packages: [...new Set(Object.keys(meta.inputs).map(packageOf).filter((p): p is string => p !== null))].sort(),
    largest: [...byPackage.entries()].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 5),
    code: output.text,
    budget: BUNDLE_BUDGET_BYTES,
  };
}
