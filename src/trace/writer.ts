/**
 * Writes trace lines without holding up the client: `write` only queues the line; the file is
 * written in batches from a later turn, one write at a time. The queue is bounded in bytes: when
 * the disk cannot keep up, lines are dropped and counted, and a `dropped` line says how many went
 * missing once there is room again. Writes are batched: the queue goes to the file every
 * `flushMs` (or at once when it holds `batchBytes`), so a busy client pays for a few large writes,
 * not one per line. At `maxFileBytes` the file is rotated: the next part is
 * `FILE.1`, then `FILE.2`, … each starting with its own header line.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface TraceWriterOptions {
  readonly file: string;
  /** Rotate once a part would grow past this; default 64 MiB. */
  readonly maxFileBytes?: number;
  /** Queued bytes beyond which lines are dropped; default 8 MiB. */
  readonly bufferBytes?: number;
  /** The longest a line waits for its write; default 50 ms. */
  readonly flushMs?: number;
  /** The header line of part `n` (0, 1, …), without the newline. */
  readonly header: (part: number) => string;
  /** The line that reports `count` dropped lines, without the newline. */
  readonly droppedLine: (count: number) => string;
  /** The file could not be opened or written; called once. Lines are dropped from then on. */
  readonly onError?: (error: Error) => void;
}

export const WRITER_DEFAULTS = { maxFileBytes: 64 * 1024 * 1024, bufferBytes: 8 * 1024 * 1024, flushMs: 50 } as const;

/** Queued this much, the write starts at once rather than at the next tick of flushMs. */
const BATCH_BYTES = 256 * 1024;

export class TraceWriter {
  private queue: string[] = [];
  private queuedBytes = 0;
  private droppedSince = 0;
  private totalDropped = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private handle: FileHandle | undefined;
  private part = -1;
  private partBytes = 0;
  private failed = false;
  private closed = false;
  private readonly maxFileBytes: number;
  private readonly bufferBytes: number;
  private readonly flushMs: number;

  constructor(private readonly options: TraceWriterOptions) {
    this.maxFileBytes = options.maxFileBytes ?? WRITER_DEFAULTS.maxFileBytes;
    this.bufferBytes = options.bufferBytes ?? WRITER_DEFAULTS.bufferBytes;
    this.flushMs = options.flushMs ?? WRITER_DEFAULTS.flushMs;
  }

  /** Lines lost so far (slow disk, or a file that could not be written). */
  get dropped(): number {
    return this.totalDropped;
  }

  /** Queues one line (no newline). Never throws, never waits. */
  write(line: string): void {
    if (this.closed) return;
    // Characters, not bytes, on this hot path: a JS string holds one or two bytes per character,
    // so the bound holds within a factor of two; the rotation below counts real bytes.
    const bytes = line.length + 1;
    if (this.failed || this.queuedBytes + bytes > this.bufferBytes) {
      this.droppedSince += 1;
      this.totalDropped += 1;
      return;
    }
    if (this.droppedSince > 0) {
      const report = this.options.droppedLine(this.droppedSince);
      this.droppedSince = 0;
      this.queue.push(report);
      this.queuedBytes += report.length + 1;
    }
    this.queue.push(line);
    this.queuedBytes += bytes;
    if (this.queuedBytes >= BATCH_BYTES) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushMs);
      // A trace waiting to be written must not keep the process alive: close() writes it.
      this.timer.unref?.();
    }
  }

  /** Writes everything queued; resolves once it is on disk (or given up). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Flushes, notes any lines still dropped, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.droppedSince > 0) {
      this.queue.push(this.options.droppedLine(this.droppedSince));
      this.droppedSince = 0;
    }
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    // A flush already running when close was called may have left the last lines behind.
    if (this.queue.length > 0) await this.flush();
    // A recording in which nothing happened is still a trace: its header.
    if (this.part < 0 && !this.failed) await this.rotate().catch((error: unknown) => this.fail(error));
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failed) {
      try {
        if (this.handle === undefined) await this.rotate();
        const lines = this.queue;
        const chars = this.queuedBytes;
        this.queue = [];
        this.queuedBytes = 0;
        // At most three bytes a character: when even that fits the part, write it whole.
        if (this.partBytes + 3 * chars <= this.maxFileBytes) {
          const whole = `${lines.join('\n')}\n`;
          await this.put(whole, Buffer.byteLength(whole));
          continue;
        }
        let batch = '';
        let batchBytes = 0;
        for (const line of lines) {
          const bytes = Buffer.byteLength(line) + 1;
          if (this.partBytes + batchBytes + bytes > this.maxFileBytes && this.partBytes + batchBytes > 0) {
            await this.put(batch, batchBytes);
            batch = '';
            batchBytes = 0;
            await this.rotate();
          }
          batch += `${line}\n`;
          batchBytes += bytes;
        }
        await this.put(batch, batchBytes);
      } catch (error) {
        this.fail(error);
      }
    }
  }

  private async put(batch: string, bytes: number): Promise<void> {
    if (batch === '') return;
    await (this.handle as FileHandle).write(batch);
    this.partBytes += bytes;
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.part += 1;
    this.handle = await open(this.part === 0 ? this.options.file : `${this.options.file}.${this.part}`, 'w');
    const header = `${this.options.header(this.part)}\n`;
    await this.handle.write(header);
    this.partBytes = Buffer.byteLength(header);
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.totalDropped += this.queue.length;
    this.queue = [];
    this.queuedBytes = 0;
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // the recorder's trouble stays the recorder's
    }
  }
}
