/**
 * `npm start`: the whole consortium on 127.0.0.1, seeded on first start. Ctrl-C or SIGTERM
 * stops every child process.
 */
// The SDK's notice that releases after January 2027 need Node 22 is not for users of npm start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { LOCAL_BUCKET, startLocalStack } from './local-stack';
import { DEMO_USERS } from './seed';

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = process.env.ACCORD_DATA_DIR ?? '.data';
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 3000),
    dataDir,
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? 0),
    s3Port: Number(process.env.S3_PORT ?? 0),
    smtpPort: Number(process.env.SMTP_PORT ?? 0),
    mailWebPort: Number(process.env.MAIL_PORT ?? 0),
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      void stack.stop().then(() => process.exit(0));
    });
  }
  console.log(
    [
      '',
      `Accord is running at ${stack.url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s${stack.seeded ? ', demo consortium seeded' : ''})`,
      `  API reference: ${stack.url}/docs`,
      `  DynamoDB Local: ${stack.dynamoEndpoint}   S3: ${stack.s3Endpoint} (bucket ${LOCAL_BUCKET})   data: ${dataDir}`,
      `  Mail inbox: ${stack.mailUrl}   (every email Accord sends; SMTP at ${stack.smtpUrl})`,
      '',
      'Demo sign-ins (pick one on the sign-in page, or POST {"email"} to /local/token):',
      ...DEMO_USERS.map((u) => `  ${u.email.padEnd(30)} ${u.who}`),
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
