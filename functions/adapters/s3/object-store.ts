import { createHash } from 'node:crypto';
import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ObjectStore } from '../../../shared/ports';
import { storeFetch } from './store-fetch';

/**
 * Content-Disposition for a download. File names are ASCII by the upload schema, so the plain
 * `filename` form is enough (and avoids `'` and `*`, which S3-compatible servers encode
 * differently when checking the signature).
 */
const attachment = (name: string): string => `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

/** How long the verifier's server-side copy may wait for S3's first answer. */
const COPY_ANSWER_MS = 60_000;

const xmlEscape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Local S3-compatible server (path-style). Unset: the regional AWS endpoint (virtual-hosted style). */
  readonly endpoint?: string;
}

/**
 * Dataset files in S3, through SigV4-presigned requests only. Browsers PUT and GET with the URLs
 * this store mints; the few calls the server makes itself (start and complete a multipart upload,
 * check an upload's size, copy a verified upload, read an object to hash it, delete one) are
 * presigned requests sent with fetch. Signing with the SDK's own
 * S3RequestPresigner instead of loading the whole S3 client keeps the catalog function ≈150 KB
 * smaller (see BENCHMARKS.md).
 */
export class S3ObjectStore implements ObjectStore {
  private readonly presigner: S3RequestPresigner;
  private readonly base: URL;
  private readonly pathPrefix: string;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.presigner = new S3RequestPresigner({
      credentials: options.credentials,
      region: options.region,
      sha256: Hash.bind(null, 'sha256'),
    });
    this.base = options.endpoint
      ? new URL(options.endpoint)
      : new URL(`https://${options.bucket}.s3.${options.region}.amazonaws.com`);
    this.pathPrefix = options.endpoint ? `/${options.bucket}` : '';
  }

  /**
   * `signedHeaders` are signed and must be sent exactly so: a `content-length` binds the body's
   * length, an `x-amz-copy-source` the copy's source. They stay headers (S3 reads them there, not
   * from the query string).
   */
  private async presign(
    method: string,
    key: string,
    query: Record<string, string>,
    expiresInSeconds: number,
    signedHeaders: Record<string, string> = {},
  ): Promise<string> {
    const request = new HttpRequest({
      method,
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port ? Number(this.base.port) : undefined,
      path: `${this.pathPrefix}/${encodeKey(key)}`,
      query,
      headers: { host: this.base.host, ...signedHeaders },
    });
    return formatUrl(
      await this.presigner.presign(request, { expiresIn: expiresInSeconds, unhoistableHeaders: new Set(Object.keys(signedHeaders)) }),
    );
  }

  private async send(
    method: string,
    key: string,
    query: Record<string, string>,
    body?: string,
    headers: { signed?: Record<string, string>; unsigned?: Record<string, string> } = {},
    headersWithinMs?: number,
  ): Promise<Response> {
    const url = await this.presign(method, key, query, 60, headers.signed);
    const response = await storeFetch(url, { method, body, headers: { ...headers.signed, ...headers.unsigned } }, headersWithinMs);
    if (!response.ok && response.status !== 404) {
      throw new Error(`S3 ${method} ${Object.keys(query).join(',') || 'object'} failed: ${response.status} ${await response.text()}`);
    }
    return response;
  }

  presignPut(key: string, contentLength: number, expiresInSeconds: number): Promise<string> {
    return this.presign('PUT', key, {}, expiresInSeconds, { 'content-length': String(contentLength) });
  }

  async startMultipart(key: string): Promise<string> {
    const xml = await (await this.send('POST', key, { uploads: '' })).text();
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(xml)?.[1];
    if (!uploadId) throw new Error('S3 returned no UploadId');
    return uploadId;
  }

  presignPart(key: string, uploadId: string, partNumber: number, contentLength: number, expiresInSeconds: number): Promise<string> {
    return this.presign('PUT', key, { partNumber: String(partNumber), uploadId }, expiresInSeconds, { 'content-length': String(contentLength) });
  }

  async completeMultipart(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    const body =
      '<CompleteMultipartUpload>' +
      [...parts]
        .sort((a, b) => a.partNumber - b.partNumber)
        .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${xmlEscape(p.etag)}</ETag></Part>`)
        .join('') +
      '</CompleteMultipartUpload>';
    const response = await this.send('POST', key, { uploadId }, body);
    const text = await response.text();
    // S3 may answer 200 with an <Error> body when completion fails late.
    if (response.status === 404 || text.includes('<Error>')) throw new Error(`S3 could not complete the upload: ${text.slice(0, 300)}`);
  }

  async head(key: string): Promise<{ size: number } | null> {
    const response = await this.send('HEAD', key, {});
    if (response.status === 404) return null;
    return { size: Number(response.headers.get('content-length')) };
  }

  async copy(sourceKey: string, targetKey: string, contentType: string): Promise<boolean> {
    // One CopyObject takes up to 5 GiB, the largest file accepted (MAX_FILE_BYTES). The declared
    // type replaces whatever the uploader sent. S3 answers 200 once the copy starts and reports a
    // late failure in the body; only the verifier copies, on no request's path, so it may wait a
    // minute for that answer rather than the 2 s a request path allows.
    const response = await this.send(
      'PUT',
      targetKey,
      {},
      undefined,
      {
        signed: {
          'x-amz-copy-source': `${this.options.bucket}/${encodeKey(sourceKey)}`,
          'x-amz-metadata-directive': 'REPLACE',
        },
        unsigned: { 'content-type': contentType },
      },
      COPY_ANSWER_MS,
    );
    const text = await response.text();
    if (response.status === 404) return false;
    // S3 may answer 200 with an <Error> body when a long copy fails late.
    if (text.includes('<Error>')) throw new Error(`S3 could not copy the object: ${text.slice(0, 300)}`);
    return true;
  }

  async delete(key: string): Promise<void> {
    await (await this.send('DELETE', key, {})).arrayBuffer();
  }

  async digest(key: string): Promise<{ size: number; sha256: string } | null> {
    const response = await this.send('GET', key, {});
    if (response.status === 404 || !response.body) return null;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    return { size, sha256: hash.digest('hex') };
  }

  presignGet(key: string, options: { expiresInSeconds: number; downloadName: string }): Promise<string> {
    return this.presign('GET', key, { 'response-content-disposition': attachment(options.downloadName) }, options.expiresInSeconds);
  }
}
