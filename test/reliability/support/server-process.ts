import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createSigner } from 'fast-jwt';

/**
 * The service as production runs it — `node --import tsx src/server.ts`, a process of its own — for suites
 * that kill it, signal it or measure it. It listens on a port of its choosing (PORT=0); the address is read
 * from its "Server listening" log line.
 */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const processJwtSecret = 'reliability-secret-that-is-long-enough-0123456789';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Every line it printed (JSON logs). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: processJwtSecret,
      RATE_LIMIT_MAX: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
        if (address) resolve(address);
      });
    }
    void exited.then(({ code, signal }) => reject(new Error(`the server exited (${signal ?? code}) before listening:\n${output.slice(-20).join('\n')}`)));
    setTimeout(() => reject(new Error(`the server did not listen within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`)), timeoutMs).unref();
  });
  try {
    return { child, baseUrl: await listening, output, exited };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

const sign = createSigner({ key: processJwtSecret, algorithm: 'HS256', expiresIn: 3_600_000 });
export const tokenFor = (subject: string): string => sign({ sub: subject });

/** fetch with a bearer token and a JSON body; the answer's body parsed when it is JSON. */
export async function api(
  baseUrl: string,
  subject: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${tokenFor(subject)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: isJson && text ? JSON.parse(text) : text, headers: response.headers };
}
