// The floor under any Node.js DNS server: a UDP echo (the query sent back with QR set) on
// node:dgram or on the batched addon, measured by run.ts like the real servers.
// Usage: node --import tsx bench/dns/echo-server.ts <port> [dgram|batch]
import { createSocket } from 'node:dgram';
import { createSharedBuffers, defaultShape, loadUdpBatch } from '../../src/dns/server/udp-batch.js';

const port = Number(process.argv[2] ?? 5300);
if (process.argv[3] === 'batch') {
  const l = loadUdpBatch();
  if (!('addon' in l)) throw new Error(l.reason);
  const shape = defaultShape(l.addon.peerStride);
  const b = createSharedBuffers(shape);
  const sock = new l.addon.UdpBatchSocket(
    {
      address: '127.0.0.1',
      port,
      reusePort: false,
      recvBuffer: 8 << 20,
      sendBuffer: 8 << 20,
      ...shape,
    },
    b,
  );
  sock.start((n) => {
    for (let i = 0; i < n; i++) {
      const len = b.inLen[i]!;
      b.in.copy(b.out, i * shape.outSlot, i * shape.slot, i * shape.slot + len);
      b.out[i * shape.outSlot + 2]! |= 0x80;
      b.outLen[i] = len;
      b.outPeer[i] = i;
    }
    return n;
  });
} else {
  const sock = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
  sock.on('message', (m, r) => {
    m[2]! |= 0x80;
    sock.send(m, r.port, r.address);
  });
  sock.bind(port, '127.0.0.1');
}
