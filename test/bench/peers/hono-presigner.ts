// Peer for the benchmark (not part of Accord): the usual "Hono on Lambda that presigns S3 URLs"
// example, bundled as such examples are deployed (the SDK's default credential chain, no alias).
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const s3 = new S3Client({});
const bucket = process.env.BUCKET_NAME ?? 'example-bucket';
const EXPIRES_IN = 300;

const app = new Hono();

app.get('/files/:key', async (c) => {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: c.req.param('key') }), { expiresIn: EXPIRES_IN });
  return c.json({ url });
});

app.post('/files', async (c) => {
  const { key, contentType } = await c.req.json<{ key: string; contentType?: string }>();
  if (!key) return c.json({ message: 'key is required' }, 400);
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), { expiresIn: EXPIRES_IN });
  return c.json({ url, key }, 201);
});

export const handler = handle(app);
