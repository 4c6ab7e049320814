import type { FileVerificationQueue } from '../../shared/ports';
import type { FileVerificationJob } from '../../shared/schemas/dataset';
import type { VerificationResult } from '../uploads/verify-upload';

/**
 * The verification queue of one machine: what SQS and the verifier function do deployed, done in
 * this process. `enqueue` returns at once, as a send to SQS does; the jobs then run one at a time,
 * in the background, after the request that completed the upload has answered. A failed job is
 * logged and the file stays `verifying`: completing the upload again hands it over again.
 */
export class InProcessVerificationQueue implements FileVerificationQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly verify: (job: FileVerificationJob) => Promise<VerificationResult>,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  enqueue(job: FileVerificationJob): Promise<void> {
    this.pending += 1;
    this.tail = this.tail
      // A macrotask later: the completing request answers before verification starts.
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.verify(job))
      .then(
        () => undefined,
        (error: unknown) => this.log(`file verification of ${job.fileId} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.pending -= 1;
      });
    return Promise.resolve();
  }

  /** Jobs handed over and not yet finished. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once every job handed over so far, and any they led to, has finished (the seed and tests wait on it). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
