import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a process, from /proc. */
export function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const childrenNamed = (name: string): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return stat.includes(`(${name})`) && Number(stat.split(') ')[1]!.split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);

export interface StackRss {
  /** This process: the API, the S3 server and the bench driver. */
  readonly node: number | null;
  /** DynamoDB Local, the Java child of this process. */
  readonly dynamo: number | null;
}

/** Peak resident set of the local stack running in this process and its DynamoDB Local child. */
export const stackPeakRss = (): StackRss => ({
  node: peakRssMb(process.pid),
  dynamo: childrenNamed('java').map(peakRssMb).find((x) => x !== null) ?? null,
});
