import type { DatasetFile, StartUploadResponse } from '../../../shared/schemas/dataset';

/**
 * Uploads straight to S3 through presigned URLs: one PUT for a small file, or one PUT per part
 * (reading each part's ETag) for a multipart upload. The network step is a function argument so
 * that the retry and resume rules are tested without a browser.
 */

/** PUTs a body to a presigned URL, reporting bytes sent; resolves with the response's ETag. */
export type PutFn = (url: string, body: Blob, onProgress: (loaded: number) => void) => Promise<{ etag: string | null }>;

export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** A PUT that did not succeed; `status` 0 is a network failure. */
export class PutFailedError extends Error {
  constructor(readonly status: number) {
    super(status === 0 ? 'The upload was interrupted (network error)' : `The storage service answered ${status}`);
    this.name = 'PutFailedError';
  }
}

/** Parts of a multipart upload failed every attempt; `completed` lets a retry resume with only the rest. */
export class PartFailedError extends Error {
  constructor(
    /** The first part that failed. */
    readonly partNumber: number,
    readonly completed: readonly CompletedPart[],
    readonly reason: unknown,
    /** Every part that failed. */
    readonly failedParts: readonly number[] = [partNumber],
  ) {
    super(
      `${failedParts.length > 1 ? `Parts ${failedParts.join(', ')}` : `Part ${partNumber}`} failed after every attempt: ${reason instanceof Error ? reason.message : String(reason)}`,
    );
    this.name = 'PartFailedError';
  }
}

/** PUT with XMLHttpRequest, the one browser API that reports upload progress. */
export const xhrPut: PutFn = (url, body, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    if (body.type) xhr.setRequestHeader('content-type', body.type);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve({ etag: xhr.getResponseHeader('ETag') });
      } else reject(new PutFailedError(xhr.status));
    };
    xhr.onerror = () => reject(new PutFailedError(0));
    xhr.onabort = () => reject(new PutFailedError(0));
    xhr.send(body);
  });

export interface UploadPartsOptions {
  readonly file: Blob;
  readonly parts: StartUploadResponse['parts'];
  readonly partSize: number;
  readonly put: PutFn;
  /** Parts already uploaded by an earlier try; they are not sent again. */
  readonly completed?: readonly CompletedPart[];
  /** Tries per part before giving up on it. @default 3 */
  readonly attempts?: number;
  /** Parts in flight at once. @default 3 */
  readonly concurrency?: number;
  /** Total bytes sent so far, across parts. */
  readonly onProgress?: (loaded: number) => void;
}

/**
 * PUTs every part not yet completed, each up to `attempts` times. Resolves with every part's
 * ETag in part order, or rejects with PartFailedError carrying the parts that did succeed.
 */
export async function uploadParts(options: UploadPartsOptions): Promise<CompletedPart[]> {
  const attempts = options.attempts ?? 3;
  const done = new Map<number, string>((options.completed ?? []).map((p) => [p.partNumber, p.etag]));
  const sizeOf = (partNumber: number) => Math.max(0, Math.min(options.partSize, options.file.size - (partNumber - 1) * options.partSize));
  const inFlight = new Map<number, number>();
  const report = () => {
    let loaded = 0;
    for (const partNumber of done.keys()) loaded += sizeOf(partNumber);
    for (const bytes of inFlight.values()) loaded += bytes;
    options.onProgress?.(loaded);
  };
  report();

  const queue = options.parts.filter((p) => !done.has(p.partNumber));
  const failures: { partNumber: number; reason: unknown }[] = [];

  const uploadOne = async (part: StartUploadResponse['parts'][number]) => {
    const start = (part.partNumber - 1) * options.partSize;
    const body = options.file.slice(start, start + options.partSize);
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const { etag } = await options.put(part.url, body, (loaded) => {
          inFlight.set(part.partNumber, loaded);
          report();
        });
        if (!etag) throw new Error('The storage service sent no ETag (is it exposed to the browser by CORS?)');
        inFlight.delete(part.partNumber);
        done.set(part.partNumber, etag);
        report();
        return;
      } catch (error) {
        inFlight.delete(part.partNumber);
        lastError = error;
      }
    }
    throw lastError;
  };

  // A part that fails every attempt does not stop the others: whatever can be stored is, so a
  // retry sends only what failed.
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      try {
        await uploadOne(part);
      } catch (reason) {
        failures.push({ partNumber: part.partNumber, reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 3, queue.length)) }, worker));

  const completed = [...done.entries()].map(([partNumber, etag]) => ({ partNumber, etag })).sort((a, b) => a.partNumber - b.partNumber);
  const first = failures.sort((a, b) => a.partNumber - b.partNumber)[0];
  if (first) throw new PartFailedError(first.partNumber, completed, first.reason, failures.map((f) => f.partNumber));
  return completed;
}

/** What a draft version's files allow: publish once there is at least one and every one is ready. */
export function publishReadiness(files: readonly Pick<DatasetFile, 'name' | 'status'>[]): {
  readonly ready: number;
  readonly verifying: number;
  readonly notReady: readonly Pick<DatasetFile, 'name' | 'status'>[];
  readonly canPublish: boolean;
} {
  const notReady = files.filter((f) => f.status !== 'ready');
  return {
    ready: files.length - notReady.length,
    verifying: files.filter((f) => f.status === 'verifying').length,
    notReady,
    canPublish: files.length > 0 && notReady.length === 0,
  };
}

/**
 * How long to wait before reading a dataset again while a file verifies: 1 s, then half as long
 * again each time, at most 10 s (a small file is ready within a second; a 5 GB one takes minutes).
 */
export const verificationPollDelay = (attempt: number): number => Math.min(10_000, Math.round(1000 * 1.5 ** attempt));

/** What an upload row says once its bytes are stored, by the file's status on the server. */
export function storedUploadText(status: DatasetFile['status'] | undefined, rejectedReason: string | null | undefined): string {
  if (status === 'ready') return 'Uploaded and verified';
  if (status === 'rejected') return `Uploaded, but rejected: ${rejectedReason ?? 'no reason given'}`;
  return 'Uploaded; verifying';
}
