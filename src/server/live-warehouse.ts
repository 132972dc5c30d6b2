// The server's read-only view of the warehouse file: builds replace the file atomically by rename, so
// each request checks the file's identity and a new build is reopened while requests on the old one finish.
import { statSync } from 'node:fs';
import { isPostgresUrl, type OpenOptions, Warehouse } from '../engine/duckdb.ts';
import { redactUrl } from '../engine/engine.ts';
import { ClaimlensError } from '../errors.ts';

/** One opened build of the file, closed once the server has moved on and its last request is done. */
interface Opened {
  wh: Warehouse;
  identity: string;
  generation: number;
  modifiedAt: Date;
  sizeBytes: number;
  leases: number;
  retired: boolean;
}

export interface Lease {
  wh: Warehouse;
  /** Which build of the file this is; cache keys carry it. */
  generation: number;
  modifiedAt: Date;
  sizeBytes: number;
  release(): void;
}

export interface FileState {
  identity: string;
  modifiedAt: Date;
  sizeBytes: number;
}

/** Device, inode, size and mtime: a rename-replaced file differs in the inode even within one mtime tick. */
export function fileState(path: string): FileState | undefined {
  try {
    const st = statSync(path);
    return {
      identity: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`,
      modifiedAt: st.mtime,
      sizeBytes: st.size,
    };
  } catch {
    return undefined;
  }
}

export class LiveWarehouse {
  readonly path: string;
  private readonly options: OpenOptions;
  private current: Opened | undefined;
  private opening: Promise<Opened> | undefined;
  private generationCounter = 0;
  private closed = false;
  /** Leases out, across builds, so close() can wait for in-flight requests. */
  private active = 0;
  private drained: (() => void) | undefined;
  private readonly onChange: ((generation: number) => void) | undefined;

  /** `onChange` runs when a new build of the file is opened (to drop cached answers of the old one). */
  constructor(path: string, options: OpenOptions = {}, onChange?: (generation: number) => void) {
    this.path = path;
    this.options = options;
    this.onChange = onChange;
  }

  get generation(): number {
    return this.current?.generation ?? this.generationCounter;
  }

  /**
   * The warehouse as the file is now, for one request; call release() when done. A file that is
   * missing or cannot be opened is a `warehouse` error (HTTP 503): the next build may fix it.
   */
  async acquire(): Promise<Lease> {
    if (this.closed) throw new ClaimlensError('warehouse', 'the server is shutting down');
    const state = isPostgresUrl(this.path) ? await this.serverState() : fileState(this.path);
    if (!state) {
      throw new ClaimlensError(
        'warehouse',
        `no warehouse at ${redactUrl(this.path)}: run \`claimlens load DIR\` and \`claimlens build\` first`,
      );
    }
    let opened = this.current;
    if (!opened || opened.identity !== state.identity) opened = await this.reopen(state);
    opened.leases += 1;
    this.active += 1;
    let released = false;
    return {
      wh: opened.wh,
      generation: opened.generation,
      modifiedAt: opened.modifiedAt,
      sizeBytes: opened.sizeBytes,
      release: () => {
        if (released) return;
        released = true;
        opened.leases -= 1;
        this.active -= 1;
        this.closeIfIdle(opened);
        if (this.active === 0) this.drained?.();
      },
    };
  }

  /**
   * A PostgreSQL warehouse has no file to stat: a build commits in one transaction and appends to
   * meta.build_log, so the last build's id and time identify what the server holds now.
   */
  private async serverState(): Promise<FileState | undefined> {
    let wh = this.current?.wh;
    let temporary = false;
    if (!wh) {
      wh = await Warehouse.open(this.path, { readOnly: true });
      temporary = true;
    }
    try {
      if (!(await wh.tableExists('meta', 'build_log'))) return undefined;
      const r = await wh.one<{ id: string | null; at: string | null; size: number }>(
        `SELECT max(finished_at || ' ' || build_id) AS id, max(finished_at) AS at,
                pg_database_size(current_database()) AS size
         FROM meta.build_log`,
      );
      if (!r?.id) return undefined;
      return { identity: r.id, modifiedAt: new Date(`${r.at!.replace(' ', 'T')}Z`), sizeBytes: r.size };
    } finally {
      if (temporary) await wh.close();
    }
  }

  /** Opens the file's new build once, however many requests notice the change at the same time. */
  private reopen(state: FileState): Promise<Opened> {
    if (this.opening) return this.opening;
    this.opening = (async () => {
      try {
        const wh = await Warehouse.open(this.path, { ...this.options, readOnly: true });
        this.generationCounter += 1;
        const opened: Opened = {
          wh,
          identity: state.identity,
          generation: this.generationCounter,
          modifiedAt: state.modifiedAt,
          sizeBytes: state.sizeBytes,
          leases: 0,
          retired: false,
        };
        const previous = this.current;
        this.current = opened;
        if (previous) {
          previous.retired = true;
          this.closeIfIdle(previous);
        }
        this.onChange?.(opened.generation);
        return opened;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private closeIfIdle(opened: Opened): void {
    if (opened.retired && opened.leases === 0) {
      opened.retired = false;
      void opened.wh.close().catch(() => undefined);
    }
  }

  /** Refuses new requests, waits for the in-flight ones to release their leases, then closes the warehouse. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.opening) await this.opening.catch(() => undefined);
    if (this.active > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    const c = this.current;
    this.current = undefined;
    if (c) await c.wh.close();
  }
}
