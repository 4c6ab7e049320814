import type { Clock, DatasetRepository, IdGenerator, ObjectStore, StoredDatasetFile } from '../../shared/ports';
import type { FileVerificationJob } from '../../shared/schemas/dataset';
import { datasetObjectKey, stagingObjectKey } from './object-keys';

/** What the verifier needs: the dataset records and the bucket. No caller: it acts for the system. */
export interface UploadVerificationDeps {
  readonly datasets: DatasetRepository;
  readonly objects: ObjectStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * How long one run holds a file: longer than the verifier function may run (15 minutes,
 * functions/lambda-entries.ts), shorter than the queue hides a message it handed out, so a run
 * that died is retried by the next delivery and never overlaps a live one.
 */
export const VERIFICATION_CLAIM_SECONDS = 16 * 60;

/** What one job came to (logged by the runners; tests read it). */
export type VerificationResult =
  | { readonly outcome: 'ready'; readonly size: number; readonly sha256: string }
  | { readonly outcome: 'rejected'; readonly reason: string }
  /** Nothing to do: the file is gone, not verifying (a repeated delivery), claimed by a live run, or its version was published. */
  | { readonly outcome: 'skipped' }
  | { readonly outcome: 'discarded' };

/** Why a size is refused, in the words the provider reads. */
export function sizeProblem(declared: number, received: number): string | null {
  if (received === 0) return 'The file is empty: 0 bytes arrived.';
  if (received !== declared) return `${received} bytes arrived, but ${declared} were declared when the upload started.`;
  return null;
}

/**
 * Verifies one completed upload, outside any API request (a queue-driven function deployed; in
 * process locally), so a 5 GB file is not bound to a request's timeout.
 *
 * The bytes a link serves must be the bytes whose size and sha256 were recorded, and a presigned
 * upload URL stays usable for minutes after completion. So uploads land under a staging key and
 * are never served; this copies the staging object, server-side, to the published key (which no
 * URL can write), then reads and hashes *that copy* and records its size and sha256: a PUT to
 * the staging key after the copy changes nothing that is served. A size other than the declared
 * one, or an empty file, is rejected with a reason. The staging object is deleted at the end.
 *
 * Idempotent, for at-least-once delivery: a file no longer `verifying` is left alone; a run first
 * claims the file, so a duplicate delivered meanwhile cannot copy the staging object (which a live
 * URL may have changed) over a copy already hashed; a retry after a run died copies and hashes again.
 */
export async function verifyUpload(deps: UploadVerificationDeps, job: FileVerificationJob): Promise<VerificationResult> {
  if (job.discard) return discardUpload(deps, job.datasetId, job.fileId, job.discard);
  const dataset = await deps.datasets.get(job.datasetId);
  const file = dataset?.files.find((f) => f.id === job.fileId);
  if (!dataset || !file || file.status !== 'verifying' || file.version !== dataset.draftVersion) return { outcome: 'skipped' };
  const now = deps.clock.now();
  const claim = deps.ids.newId();
  const until = new Date(now.getTime() + VERIFICATION_CLAIM_SECONDS * 1000).toISOString();
  if (!(await deps.datasets.claimVerification(dataset.id, file, { token: claim, now: now.toISOString(), until }))) return { outcome: 'skipped' };
  try {
    return await verifyClaimed(deps, dataset.id, file, claim);
  } catch (error) {
    // A store failed part-way: the next delivery (or a repeated completion) starts over at once.
    await deps.datasets.releaseVerification(dataset.id, file, claim).catch(() => undefined);
    throw error;
  }
}

async function verifyClaimed(deps: UploadVerificationDeps, datasetId: string, file: StoredDatasetFile, claim: string): Promise<VerificationResult> {
  const staging = stagingObjectKey(file.objectKey);
  const reject = (reason: string) => rejectFile(deps, datasetId, file, reason, claim);

  const arrived = await deps.objects.head(staging);
  if (!arrived) return reject(MISSING);
  const early = sizeProblem(file.size, arrived.size);
  if (early) return reject(early);

  if (!(await deps.objects.copy(staging, file.objectKey, file.contentType))) return reject(MISSING);
  // Hash the copy, which nobody else can write, not the staging object, which a live URL still can.
  const digest = await deps.objects.digest(file.objectKey);
  const problem = digest ? sizeProblem(file.size, digest.size) : 'The verified copy could not be read back.';
  if (!digest || problem) {
    await deps.objects.delete(file.objectKey);
    return reject(problem!);
  }
  const ready = { status: 'ready', size: digest.size, sha256: digest.sha256, at: deps.clock.now().toISOString() } as const;
  if (!(await deps.datasets.recordFileOutcome(datasetId, file, 'verifying', ready, claim))) {
    // Removed (or its version published) while we copied: no record names the copy, so it goes.
    await leaveNoCopy(deps, datasetId, file);
    return { outcome: 'skipped' };
  }
  // The file is ready whatever happens now; a staging object left behind expires within a day.
  await deps.objects.delete(staging).catch(() => undefined);
  return { outcome: 'ready', size: digest.size, sha256: digest.sha256 };
}

const MISSING = 'Nothing was found where the file was uploaded; upload it again.';

async function rejectFile(deps: UploadVerificationDeps, datasetId: string, file: StoredDatasetFile, reason: string, claim: string): Promise<VerificationResult> {
  const at = deps.clock.now().toISOString();
  const recorded = await deps.datasets.recordFileOutcome(datasetId, file, 'verifying', { status: 'rejected', reason, at }, claim);
  await deps.objects.delete(stagingObjectKey(file.objectKey));
  return recorded ? { outcome: 'rejected', reason } : { outcome: 'skipped' };
}

/** Deletes the copy a run wrote for a file that was removed meanwhile; a file still recorded keeps it. */
async function leaveNoCopy(deps: UploadVerificationDeps, datasetId: string, file: StoredDatasetFile): Promise<void> {
  const current = await deps.datasets.get(datasetId);
  if (current?.files.some((f) => f.id === file.id)) return;
  await Promise.all([deps.objects.delete(file.objectKey), deps.objects.delete(stagingObjectKey(file.objectKey))]);
}

/**
 * A file removed from its draft version: its key is rebuilt from the dataset, version, file id and
 * name (never taken from a message), and its bytes are deleted only when no file of the dataset
 * has that id any more, so a stray message cannot delete what a link names.
 */
async function discardUpload(
  deps: UploadVerificationDeps,
  datasetId: string,
  fileId: string,
  discard: NonNullable<FileVerificationJob['discard']>,
): Promise<VerificationResult> {
  const dataset = await deps.datasets.get(datasetId);
  if (dataset?.files.some((f) => f.id === fileId)) return { outcome: 'skipped' };
  const objectKey = datasetObjectKey(datasetId, discard.version, fileId, discard.name);
  await Promise.all([deps.objects.delete(objectKey), deps.objects.delete(stagingObjectKey(objectKey))]);
  return { outcome: 'discarded' };
}
