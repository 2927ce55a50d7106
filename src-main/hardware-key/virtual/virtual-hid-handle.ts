import type { KeyClock } from '../key-clock';
import type { FidoHidTransport } from '../transport/transport';

/** The side of the device a handle talks to. */
export interface HandleOwner {
  receive(report: Buffer): void;
  detach(handle: VirtualHidHandle): void;
}

/** The answer to every successful write: the device takes a report synchronously. */
const WRITTEN: Promise<void> = Promise.resolve();

/**
 * One open handle on the virtual device, like node-hid's HID object: reports queue until read,
 * and an unplugged device fails reads and writes with node-hid's own messages.
 */
export class VirtualHidHandle implements FidoHidTransport {
  private queue: Buffer[] = [];
  private waiter: { resolve: (b: Buffer | null) => void; reject: (e: Error) => void; timer: unknown } | null = null;
  private closed = false;
  dead = false;

  constructor(
    private readonly device: HandleOwner,
    private readonly clock: KeyClock,
  ) {}

  /** The device takes a report synchronously, so every successful write answers one settled promise. */
  write(report64: Buffer): Promise<void> {
    if (this.dead) return Promise.reject(new Error('Cannot write to hid device'));
    if (this.closed) return Promise.reject(new Error('device has been closed'));
    // No copy: the device's assembler copies what it keeps, as a device reads bytes off the wire.
    this.device.receive(report64);
    return WRITTEN;
  }

  read(timeoutMs: number): Promise<Buffer | null> {
    if (this.dead) return Promise.reject(new Error('could not read data from device'));
    if (this.closed) return Promise.reject(new Error('device has been closed'));
    const next = this.queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.device.detach(this);
    this.settle(null);
  }

  deliver(report: Buffer): void {
    if (this.closed || this.dead) return;
    if (this.waiter) this.settle(report);
    else this.queue.push(report);
  }

  kill(): void {
    this.dead = true;
    this.queue = [];
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      this.clock.clearTimeout(waiter.timer);
      waiter.reject(new Error('could not read data from device'));
    }
  }

  private settle(value: Buffer | null): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      this.clock.clearTimeout(waiter.timer);
      waiter.resolve(value);
    }
  }
}
