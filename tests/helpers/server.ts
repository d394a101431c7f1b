import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  base: string;
  child: ChildProcess;
  /** Resident memory of the server process now, in bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<number | null>;
}

/** tsx runs the script in a child process of its own: that child is the server. */
function serverPid(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.length > 0 ? Number(children[0]) : launcherPid;
}

function residentMemory(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

export interface StartOptions {
  /**
   * `tsx` (the default): the tsx CLI launcher, as `npm start` runs it; it runs the server
   * in a child process and relays signals to it. `node`: one process, `node --import tsx
   * src/server.ts`, as the Docker image runs it, so a signal reaches the server itself.
   */
  launcher?: 'tsx' | 'node';
}

/** The real server process (`npm start`'s entry point) on `databaseUrl`, on a free port. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}, { launcher = 'tsx' }: StartOptions = {}): Promise<RunningServer> {
  const args = launcher === 'node' ? ['--import', 'tsx', 'src/server.ts'] : [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/server.ts'];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = output.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
        // From here on the log is drained, not kept: a long run logs a lot.
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    base,
    child,
    rss: () => residentMemory(serverPid(child.pid!)),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
