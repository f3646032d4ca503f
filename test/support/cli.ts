import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/salesledger.js');

/** The CLI as users run it (the built dist: `npm test` builds first), with only the given configuration. */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { EVENT_STORE_URL: _e, DATABASE_URL: _d, KAFKA_BROKERS: _k, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'info', ...env };
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export interface RunningServer {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `salesledger start` and resolves once it logs the address it listens on. */
export function startServer(env: NodeJS.ProcessEnv, args: string[] = [], timeoutMs = 30_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { env: { PORT: '0', ...env } });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({
          child,
          url: match[1] as string,
          output: () => output,
          waitFor: (p, t) => waitForOutput(() => output, p, t),
          exited,
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** A data dir the `postgres` system user can reach when the tests run as root. */
export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'salesledger-data-'));
  await chmod(dir, 0o755);
  return dir;
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
