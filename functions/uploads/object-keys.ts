/**
 * Where a dataset file's bytes live in the bucket. Keys never leave the server.
 *
 * - `staging/datasets/{id}/v{n}/{fileId}/{name}`: where the provider's presigned PUTs land. Anyone
 *   holding an upload URL can write here until it expires, so nothing is ever served from here.
 * - `datasets/{id}/v{n}/{fileId}/{name}`: the published object, written only by the verifier's
 *   server-side copy and hashed after it. Every sample and grant link names this key.
 */
export const datasetObjectKey = (datasetId: string, version: number, fileId: string, fileName: string): string =>
  `datasets/${datasetId}/v${version}/${fileId}/${fileName}`;

/** The staging key of a published key: the same path under `staging/`. */
export const stagingObjectKey = (objectKey: string): string => `staging/${objectKey}`;
