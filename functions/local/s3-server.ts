import { createServer, type Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import S3rver from '@20minutes/s3rver';

/**
 * The key pair s3rver accepts out of the box. Local only; point the SDK's `credentials` at it
 * whenever S3_ENDPOINT is set, since s3rver checks SigV4 signatures.
 */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Options for {@link startS3Server}. */
export interface S3ServerOptions {
  /**
   * TCP port on 127.0.0.1.
   * @default 0 (the kernel picks a free port; read it back from the result)
   */
  readonly port?: number;
  /** Where objects are kept on disk; created when missing. Reusing it keeps the data. */
  readonly directory: string;
  /** Bucket created at start when missing; its CORS rule is (re)applied every start. */
  readonly bucket: string;
}

/** A running local S3 server. */
export interface S3Server {
  /** Base URL for the SDK's `endpoint` (use `forcePathStyle: true`), e.g. `http://127.0.0.1:4568`. */
  readonly endpoint: string;
  /** The port actually bound (differs from the request when it was 0). */
  readonly port: number;
  /** Stops listening, drops open connections, and resolves once the server is closed. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

// The browser uploads to and downloads from presigned URLs directly, from the web app's origin,
// and needs the ETag of each multipart part to complete the upload.
const CORS_CONFIGURATION = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Runs an S3-compatible server (@20minutes/s3rver) in this process on 127.0.0.1, without request
 * logging, with the bucket created and given a CORS rule that lets a browser GET, PUT, HEAD and
 * POST from any origin. Rejects with a one-line Error naming the port when the port is taken.
 *
 * s3rver verifies SigV4 signatures and presigned-URL expiry, but lets unsigned requests through:
 * it is a development stand-in, never a security boundary.
 */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const requestedPort = options.port ?? 0;
  await mkdir(options.directory, { recursive: true });

  const s3rver = new S3rver({
    directory: options.directory,
    silent: true,
    // Only path-style URLs on an IP host: never guess a bucket from the Host header.
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [CORS_CONFIGURATION] }],
  });
  await s3rver.configureBuckets();

  // We own the HTTP server rather than calling s3rver.run(): run() never rejects on a listen
  // error (it arrives as an 'error' event nobody handles), so a busy port would crash the process.
  const server = createServer(s3rver.callback());
  try {
    await listen(server, requestedPort);
  } catch (error) {
    s3rver.logger.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${requestedPort} is already in use (S3 server)`);
    }
    throw new Error(`S3 server could not listen on port ${requestedPort}: ${(error as Error).message}`);
  }

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : requestedPort;
  let stopped: Promise<void> | undefined;

  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    stop() {
      stopped ??= new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        // The SDK keeps sockets alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }).finally(() => s3rver.logger.close());
      return stopped;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolveListen();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}
