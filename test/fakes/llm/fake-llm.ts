import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next requests. */
export type FakeLlmMode =
  | { kind: 'answer'; content: string }
  | { kind: 'status'; status: number }
  | { kind: 'malformed' }
  /** Never answers: the client's timeout must end the request. */
  | { kind: 'hang' };

export interface RecordedLlmRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A local OpenAI-compatible chat-completions server on 127.0.0.1, port 0. */
export interface FakeLlm {
  baseUrl: string;
  requests: RecordedLlmRequest[];
  mode: FakeLlmMode;
  /** Resolves when the next request has arrived (and been recorded). */
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const waiters: Array<() => void> = [];
  const fake: Partial<FakeLlm> = {
    requests: [],
    mode: { kind: 'answer', content: '' },
    nextRequest: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Recorded as text: the test says what it expected.
      }
      fake.requests?.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      for (const waiter of waiters.splice(0)) waiter();
      const mode = fake.mode as FakeLlmMode;
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      switch (mode.kind) {
        case 'answer':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: 'chatcmpl-1',
              object: 'chat.completion',
              choices: [{ index: 0, message: { role: 'assistant', content: mode.content } }],
            }),
          );
          return;
        case 'status':
          res.writeHead(mode.status, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"boom"}}');
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"choices": [ this is not json');
          return;
        case 'hang':
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake as FakeLlm;
}
