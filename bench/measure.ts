// Runs a command as a child process and measures wall time and peak resident memory (VmHWM,
// polled from /proc), so each pipeline stage is measured the way a user runs it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measurement {
  seconds: number;
  peakMb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

function highWaterMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function measure(cmd: string, args: string[], cwd: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setInterval(() => {
      if (child.pid) peak = Math.max(peak, highWaterMb(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, peakMb: peak, exitCode: code ?? 1, stdout, stderr });
    });
  });
}
