import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VirtualAuthenticator } from '../../../../src-main/hardware-key/virtual/virtual-authenticator';

/**
 * Hosts a virtual key on a Unix socket: each connection is one HID handle, carrying raw 64-byte
 * reports both ways. This is the seam external clients (python-fido2, libfido2) cross, since CI
 * machines have no /dev/uhid to present the key as a real HID device.
 */
export async function hostOnSocket(
  key: VirtualAuthenticator,
): Promise<{ socketPath: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bg-hid-'));
  const socketPath = path.join(dir, 'key.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const handle = key.transport();
    let pending = Buffer.alloc(0);
    let open = true;
    socket.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 64) {
        void handle.write(Buffer.from(pending.subarray(0, 64))).catch(() => socket.destroy());
        pending = pending.subarray(64);
      }
    });
    socket.on('close', () => {
      open = false;
      sockets.delete(socket);
      void handle.close();
    });
    void (async () => {
      while (open) {
        const report = await handle.read(200).catch(() => null);
        if (report && open) socket.write(report);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The Python that has Debian's python3-fido2 (not a pyenv shim), or null with the reason. */
export function pythonWithFido2(): { python: string } | { missing: string } {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import fido2, sys; sys.stdout.write(fido2.__version__)'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return { python };
  }
  return { missing: 'python-fido2 is not installed (Debian: apt-get install python3-fido2; .ci/run installs it)' };
}
