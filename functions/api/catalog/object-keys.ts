/** Where a dataset file's bytes live in the bucket: `datasets/{id}/v{n}/{fileId}/{name}`. Never leaves the server. */
export const datasetObjectKey = (datasetId: string, version: number, fileId: string, fileName: string): string =>
  `datasets/${datasetId}/v${version}/${fileId}/${fileName}`;
