import { describe, expect, it } from 'vitest';
import { InProcessVerificationQueue } from '../../functions/local/in-process-verification';
import type { VerificationResult } from '../../functions/uploads/verify-upload';

const job = (n: number) => ({ datasetId: `00000000-0000-4000-8000-00000000000${n}`, fileId: `10000000-0000-4000-8000-00000000000${n}` });
const ready: VerificationResult = { outcome: 'ready', size: 1, sha256: 'x' };

describe('the in-process verification queue', () => {
  it('returns from enqueue before the job runs, as a send to a queue does', async () => {
    const ran: string[] = [];
    const queue = new InProcessVerificationQueue(async (j) => (ran.push(j.fileId), ready));
    await queue.enqueue(job(1));
    expect(ran).toEqual([]);
    expect(queue.size).toBe(1);
    await queue.idle();
    expect(ran).toEqual([job(1).fileId]);
    expect(queue.size).toBe(0);
  });

  it('runs jobs one at a time, in order, and idle waits for jobs handed over while it waits', async () => {
    const events: string[] = [];
    let queue: InProcessVerificationQueue;
    queue = new InProcessVerificationQueue(async (j) => {
      events.push(`start ${j.fileId.slice(-1)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (j.fileId.endsWith('1')) await queue.enqueue(job(3));
      events.push(`end ${j.fileId.slice(-1)}`);
      return ready;
    });
    await queue.enqueue(job(1));
    await queue.enqueue(job(2));
    await queue.idle();
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('logs a failed job and goes on with the next', async () => {
    const logged: string[] = [];
    const queue = new InProcessVerificationQueue(
      async (j) => {
        if (j.fileId.endsWith('1')) throw new Error('S3 is down');
        return ready;
      },
      (message) => logged.push(message),
    );
    await queue.enqueue(job(1));
    await queue.enqueue(job(2));
    await queue.idle();
    expect(logged).toEqual([`file verification of ${job(1).fileId} failed: S3 is down`]);
  });
});
