import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../shared/errors';
import type {
  AgreementRepository,
  Clock,
  DatasetRepository,
  FileVerificationQueue,
  IdGenerator,
  ObjectStore,
  StoredDataset,
  StoredDatasetFile,
} from '../../../shared/ports';
import { isConsortiumAdmin, isProvider, type Caller } from '../../../shared/roles';
import type { Page } from '../../../shared/schemas/common';
import {
  MULTIPART_PART_BYTES,
  MULTIPART_THRESHOLD_BYTES,
  type CatalogQuery,
  type CompleteUploadRequest,
  type Dataset,
  type DatasetFile,
  type DatasetMetadata,
  type StartUploadRequest,
  type StartUploadResponse,
  type UpdateDatasetRequest,
} from '../../../shared/schemas/dataset';
import { LIMITS, requireWithinLimit } from '../../../shared/schemas/limits';
import { requireSignedAgreement, standingOf } from '../agreements/service';
import { actorOf, auditDraft } from '../audit/events';
import { revokeGrantsOfDataset, type GrantDeps } from '../grants/service';
import { datasetObjectKey, stagingObjectKey } from '../../uploads/object-keys';
import { sizeProblem } from '../../uploads/verify-upload';

export interface CatalogDeps extends Omit<GrantDeps, 'objects'> {
  readonly datasets: DatasetRepository;
  readonly agreements: AgreementRepository;
  readonly objects: ObjectStore;
  /** Where completed uploads go to be verified. */
  readonly verification: FileVerificationQueue;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const datasetAudit = (caller: Caller, dataset: StoredDataset, at: string, action: string, details: Record<string, unknown>) =>
  auditDraft({ at, actor: actorOf(caller), action: `dataset.${action}`, entity: { type: 'dataset', id: dataset.id }, orgId: dataset.providerOrgId, providerOrgIds: [dataset.providerOrgId], details });

/** Presigned upload URLs live 15 minutes (they write only the staging key); sample links 5. */
const UPLOAD_URL_SECONDS = 900;
export const SAMPLE_URL_SECONDS = 300;

const isOwner = (caller: Caller, dataset: StoredDataset): boolean => dataset.providerOrgId === caller.orgId;

/** What the caller may see of a dataset: drafts only by their provider; object keys never. */
export function present(caller: Caller | null, dataset: StoredDataset): Dataset {
  const owner = caller !== null && isOwner(caller, dataset);
  const files: DatasetFile[] = dataset.files
    .filter((f) => owner || (f.version === dataset.publishedVersion && f.status === 'ready'))
    .map(({ objectKey: _key, contentType: _type, uploadId: _upload, ...file }) => file);
  return { ...dataset, files };
}

/** Loads a dataset the caller may see; another organisation's draft is as unknown as a missing one. */
async function visibleDataset(deps: CatalogDeps, caller: Caller, datasetId: string): Promise<StoredDataset> {
  const dataset = await deps.datasets.get(datasetId);
  if (!dataset || (dataset.state === 'draft' && !isOwner(caller, dataset))) throw new NotFoundError('Dataset');
  return dataset;
}

/** Loads a dataset the caller's organisation provides; 404 for drafts of others, 403 for others' published ones. */
async function ownDataset(deps: CatalogDeps, caller: Caller, datasetId: string): Promise<StoredDataset> {
  const dataset = await visibleDataset(deps, caller, datasetId);
  if (!isOwner(caller, dataset)) throw new ForbiddenError('forbidden', 'Only the dataset\'s provider may change it');
  return dataset;
}

function requireNotRetired(dataset: StoredDataset): void {
  if (dataset.state === 'retired') {
    throw new ConflictError('invalid_transition', 'The dataset is retired', { state: dataset.state });
  }
}

export async function createDataset(deps: CatalogDeps, caller: Caller, metadata: DatasetMetadata): Promise<Dataset> {
  if (!isProvider(caller)) throw new ForbiddenError('forbidden', 'Only provider organisations list datasets');
  await requireSignedAgreement(deps, caller.orgId);
  const now = deps.clock.now().toISOString();
  const dataset: StoredDataset = {
    id: deps.ids.newId(),
    providerOrgId: caller.orgId,
    providerName: caller.orgName,
    state: 'draft',
    revision: 1,
    metadataVersion: 1,
    metadata,
    publishedVersion: null,
    draftVersion: 1,
    files: [],
    createdAt: now,
    updatedAt: now,
    publishedAt: null,
    retiredAt: null,
    retiredReason: null,
  };
  await deps.datasets.create(dataset);
  return present(caller, dataset);
}

export async function getDataset(deps: CatalogDeps, caller: Caller, datasetId: string): Promise<Dataset> {
  return present(caller, await visibleDataset(deps, caller, datasetId));
}

export async function updateDataset(
  deps: CatalogDeps,
  caller: Caller,
  datasetId: string,
  changes: UpdateDatasetRequest,
  expectedRevision: number,
): Promise<Dataset> {
  const dataset = await ownDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  const metadata = { ...dataset.metadata, ...changes };
  requireWithinLimit(metadata, LIMITS.metadataBytes, 'metadata');
  const updated = await deps.datasets.updateMetadata(
    dataset,
    metadata,
    expectedRevision,
    deps.clock.now().toISOString(),
  );
  return present(caller, updated);
}

export async function listDatasets(deps: CatalogDeps, caller: Caller, query: CatalogQuery): Promise<Page<Dataset>> {
  const page =
    query.scope === 'mine' ? await deps.datasets.listByProvider(caller.orgId, query) : await deps.datasets.listCatalog(query);
  return { items: page.items.map((d) => present(caller, d)), nextCursor: page.nextCursor };
}

/**
 * Starts an upload into the draft version: one presigned PUT, or presigned parts above the
 * multipart threshold. The URLs write the file's staging key, never the key links are minted for,
 * and each signs the exact length it may carry (the declared size, or its part of it).
 */
export async function startUpload(
  deps: CatalogDeps,
  caller: Caller,
  datasetId: string,
  request: StartUploadRequest,
): Promise<StartUploadResponse> {
  const dataset = await ownDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  const duplicate = dataset.files.find((f) => f.version === dataset.draftVersion && f.name === request.fileName);
  if (duplicate) {
    throw new ConflictError('file_exists', `${request.fileName} is already in version ${dataset.draftVersion}; remove it first to upload it again`, { field: 'fileName' });
  }
  const fileId = deps.ids.newId();
  const objectKey = datasetObjectKey(datasetId, dataset.draftVersion, fileId, request.fileName);
  const staging = stagingObjectKey(objectKey);
  const multipart = request.size > MULTIPART_THRESHOLD_BYTES;
  const uploadId = multipart ? await deps.objects.startMultipart(staging, request.contentType) : null;
  const file: StoredDatasetFile = {
    id: fileId,
    name: request.fileName,
    version: dataset.draftVersion,
    size: request.size,
    sha256: null,
    sample: request.sample,
    status: 'pending',
    rejectedReason: null,
    uploadedAt: null,
    objectKey,
    contentType: request.contentType,
    uploadId,
  };
  await deps.datasets.addFile(datasetId, file);
  const expiresAt = new Date(deps.clock.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
  if (!uploadId) {
    const url = await deps.objects.presignPut(staging, request.size, UPLOAD_URL_SECONDS);
    return { fileId, version: file.version, method: 'single', url, parts: [], partSize: null, expiresAt };
  }
  const partCount = Math.ceil(request.size / MULTIPART_PART_BYTES);
  const parts = await Promise.all(
    Array.from({ length: partCount }, async (_, i) => ({
      partNumber: i + 1,
      url: await deps.objects.presignPart(staging, uploadId, i + 1, Math.min(MULTIPART_PART_BYTES, request.size - i * MULTIPART_PART_BYTES), UPLOAD_URL_SECONDS),
    })),
  );
  return { fileId, version: file.version, method: 'multipart', url: null, parts, partSize: MULTIPART_PART_BYTES, expiresAt };
}

/** The parts of a multipart upload of `size` bytes: every part, once, in order (a missing part would shorten the file). */
function checkedParts(size: number, parts: CompleteUploadRequest['parts']): { partNumber: number; etag: string }[] {
  const count = Math.ceil(size / MULTIPART_PART_BYTES);
  const sorted = [...(parts ?? [])].sort((a, b) => a.partNumber - b.partNumber);
  if (sorted.length !== count || sorted.some((p, i) => p.partNumber !== i + 1)) {
    throw new ValidationError('parts', `A multipart upload of ${count} parts completes with the ETag of each part, 1 to ${count}, once`);
  }
  return sorted;
}

/**
 * Completes an upload: finishes a multipart upload, checks that exactly the declared number of
 * bytes arrived (another size, or none, is refused with the reason), and hands the file to the
 * verifier, which copies, hashes and makes it `ready` or `rejected` apart from this request.
 * Completing a file that is still `verifying` hands it over again (after a lost message).
 */
export async function completeUpload(
  deps: CatalogDeps,
  caller: Caller,
  datasetId: string,
  fileId: string,
  request: CompleteUploadRequest,
): Promise<DatasetFile> {
  const dataset = await ownDataset(deps, caller, datasetId);
  const file = dataset.files.find((f) => f.id === fileId);
  if (!file) throw new NotFoundError('File');
  const presentFile = (status: StoredDatasetFile['status']) => present(caller, { ...dataset, files: [{ ...file, status }] }).files[0]!;
  if (file.status === 'verifying') {
    await deps.verification.enqueue({ datasetId, fileId });
    return presentFile('verifying');
  }
  if (file.status === 'ready') throw new ConflictError('already_completed', 'This upload was already completed and verified');
  if (file.status === 'rejected') {
    throw new ConflictError('upload_rejected', `This upload was rejected: ${file.rejectedReason ?? 'no reason recorded'} Remove the file and upload it again.`, { reason: file.rejectedReason });
  }
  const staging = stagingObjectKey(file.objectKey);
  if (file.uploadId) {
    const parts = checkedParts(file.size, request.parts);
    await deps.objects.completeMultipart(staging, file.uploadId, parts).catch(async (error: unknown) => {
      // An earlier completion whose answer was lost already made the object.
      if (!(await deps.objects.head(staging))) throw error;
    });
  }
  const arrived = await deps.objects.head(staging);
  if (!arrived) throw new ConflictError('upload_missing', 'Nothing was uploaded for this file yet; PUT the bytes first');
  const problem = sizeProblem(file.size, arrived.size);
  if (problem) {
    await deps.datasets.recordFileOutcome(datasetId, file, 'pending', { status: 'rejected', reason: problem, at: deps.clock.now().toISOString() });
    throw new ConflictError('size_mismatch', `${problem} The file is rejected; remove it and upload it again.`, {
      field: 'size',
      declared: file.size,
      received: arrived.size,
    });
  }
  await deps.datasets.markVerifying(datasetId, file);
  await deps.verification.enqueue({ datasetId, fileId });
  return presentFile('verifying');
}

/**
 * Removes a file from the unpublished draft version, whatever its status (a rejected file must go
 * before the version can be published). Its bytes are deleted by the verifier, which alone may
 * delete published keys.
 */
export async function removeFile(deps: CatalogDeps, caller: Caller, datasetId: string, fileId: string): Promise<Dataset> {
  const dataset = await ownDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  const file = dataset.files.find((f) => f.id === fileId);
  if (!file) throw new NotFoundError('File');
  if (file.version !== dataset.draftVersion) {
    throw new ConflictError('version_published', `${file.name} belongs to published version ${file.version}, whose files are frozen`);
  }
  await deps.datasets.removeFile(datasetId, file);
  await deps.verification.enqueue({ datasetId, fileId, discard: { version: file.version, name: file.name } });
  return present(caller, { ...dataset, files: dataset.files.filter((f) => f.id !== fileId) });
}

export async function setSample(
  deps: CatalogDeps,
  caller: Caller,
  datasetId: string,
  fileId: string,
  sample: boolean,
): Promise<DatasetFile> {
  const dataset = await ownDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  const file = dataset.files.find((f) => f.id === fileId);
  if (!file) throw new NotFoundError('File');
  await deps.datasets.setSample(datasetId, file, sample);
  return present(caller, { ...dataset, files: [{ ...file, sample }] }).files[0]!;
}

/**
 * Publishes the draft version: its files are frozen and it becomes what the catalog offers. Every
 * file must be ready (verified); a pending, verifying or rejected one is a 409 naming it.
 */
export async function publishVersion(deps: CatalogDeps, caller: Caller, datasetId: string) {
  const dataset = await ownDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  await requireSignedAgreement(deps, caller.orgId);
  const files = dataset.files.filter((f) => f.version === dataset.draftVersion);
  if (files.length === 0) {
    throw new ConflictError('no_files', `Version ${dataset.draftVersion} has no file to publish`, { state: dataset.state });
  }
  const notReady = files.filter((f) => f.status !== 'ready');
  if (notReady.length > 0) {
    throw new ConflictError(
      'files_not_ready',
      `Every file of version ${dataset.draftVersion} must be ready before it is published; not ready: ${notReady.map((f) => `${f.name} (${f.status})`).join(', ')}`,
      { files: notReady.map((f) => ({ id: f.id, name: f.name, status: f.status, rejectedReason: f.rejectedReason })) },
    );
  }
  const at = deps.clock.now().toISOString();
  await deps.datasets.publishVersion(dataset, files, at, [
    datasetAudit(caller, dataset, at, 'version_published', { version: dataset.draftVersion, files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, sha256: f.sha256 })) }),
  ]);
  return { datasetId, version: dataset.draftVersion, files: present(caller, { ...dataset, files }).files, publishedAt: at };
}

/**
 * Retires a dataset: it leaves the catalog, no link to its files is minted any more, and every
 * running grant to it is revoked. Retiring a retired dataset is not a conflict: it runs the
 * revocation again, so a retirement that failed after its write is completed by a retry.
 */
export async function retireDataset(deps: CatalogDeps, caller: Caller, datasetId: string, reason: string): Promise<Dataset> {
  const dataset = await visibleDataset(deps, caller, datasetId);
  if (!isOwner(caller, dataset) && !isConsortiumAdmin(caller)) {
    throw new ForbiddenError('forbidden', 'Only the provider or a consortium admin retires a dataset');
  }
  let retired: StoredDataset = dataset;
  if (dataset.state !== 'retired') {
    const at = deps.clock.now().toISOString();
    await deps.datasets.retire(dataset, at, reason, [datasetAudit(caller, dataset, at, 'retired', { reason })]).catch((error: unknown) => {
      // Retired by someone else meanwhile: the revocation below still has to happen.
      if (!(error instanceof ConflictError)) throw error;
    });
    retired = { ...dataset, state: 'retired', retiredAt: at, retiredReason: reason, updatedAt: at, revision: dataset.revision + 1 };
  }
  // Every grant to it ends now: holders are told. Mints were refused from the moment it was retired;
  // a retry of a retirement that failed half way (or a grant a racing approval issued) finishes here.
  await revokeGrantsOfDataset(deps, caller, dataset.id, dataset.providerOrgId, `The dataset was retired: ${retired.retiredReason ?? reason}`);
  return present(caller, retired);
}

/** Short-lived links to a published dataset's sample files, for organisations that signed the agreement. */
export async function sampleLinks(deps: CatalogDeps, caller: Caller, datasetId: string) {
  const dataset = await visibleDataset(deps, caller, datasetId);
  requireNotRetired(dataset);
  if (!isOwner(caller, dataset)) {
    const status = await standingOf(deps, caller.orgId);
    if (!status.mayAct) {
      throw new ForbiddenError('agreement_not_signed', 'Sign the common agreement to download samples', {
        currentVersion: status.currentVersion,
      });
    }
  }
  const expiresAt = new Date(deps.clock.now().getTime() + SAMPLE_URL_SECONDS * 1000).toISOString();
  const samples = dataset.files.filter((f) => f.sample && f.status === 'ready' && f.version === dataset.publishedVersion);
  const items = await Promise.all(
    samples.map(async (f) => ({
      fileId: f.id,
      name: f.name,
      size: f.size,
      sha256: f.sha256,
      url: await deps.objects.presignGet(f.objectKey, { expiresInSeconds: SAMPLE_URL_SECONDS, downloadName: f.name }),
      expiresAt,
    })),
  );
  return { items };
}
