import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { CommandTurns } from '../../src/commands/turns.js';

/** A loopback connection whose server side records when data is read. */
async function loopback(order: string[]) {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  await once(client, 'connect');
  const [socket] = await accepted;
  socket.on('data', () => order.push('io'));
  return {
    /** Resolves once the bytes are handed to the kernel: readable at the next poll. */
    send: () => new Promise<void>((resolve) => client.write('ack', () => resolve())),
    close: async () => {
      client.destroy();
      socket.destroy();
      server.close();
    },
  };
}

describe('CommandTurns', () => {
  it('starts queued commands in order, one per turn, so I/O waiting behind them is read first', async () => {
    const order: string[] = [];
    const io = await loopback(order);
    try {
      await io.send();
      const turns = new CommandTurns();
      const commands = Array.from({ length: 20 }, (_, i) =>
        turns.take().then(() => order.push(`cmd ${i}`)),
      );
      expect(turns.queued).toBe(20);
      await Promise.all(commands);
      const cmds = order.filter((o) => o !== 'io');
      expect(cmds).toEqual(Array.from({ length: 20 }, (_, i) => `cmd ${i}`));
      // The bytes were readable before the first turn: at most one command ran before them.
      // (Run as plain microtasks, all twenty would run before it: index 20.)
      expect([0, 1]).toContain(order.indexOf('io'));
      expect(turns.queued).toBe(0);
    } finally {
      await io.close();
    }
  });

  it('lets a burst of waiting connections in while commands are queued, not one per command', async () => {
    // Node accepts one connection per loop iteration: with one command per iteration, the
    // 60th connection of a burst would wait for ~59 commands.
    const order: string[] = [];
    const server = createServer((socket) => {
      order.push('accepted');
      socket.destroy();
    });
    server.listen({ port: 0, host: '127.0.0.1', backlog: 512 });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const clients = Array.from({ length: 60 }, () => connect(port, '127.0.0.1'));
    try {
      await Promise.all(clients.map((c) => once(c, 'connect')));
      const turns = new CommandTurns();
      const busy = () => {
        // A command's synchronous store work, a few milliseconds of it.
        const until = performance.now() + 3;
        while (performance.now() < until);
      };
      const commands = Array.from({ length: 30 }, (_, i) =>
        turns.take().then(() => {
          order.push(`cmd ${i}`);
          busy();
        }),
      );
      await Promise.all(commands);
      const acceptedBeforeCommand10 = order.slice(0, order.indexOf('cmd 10'));
      expect(acceptedBeforeCommand10.filter((o) => o === 'accepted')).toHaveLength(60);
    } finally {
      for (const c of clients) c.destroy();
      server.close();
    }
  });
});
