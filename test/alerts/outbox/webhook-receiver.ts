import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = { readonly status: number; readonly headers?: Record<string, string> } | 'no answer';

export interface ReceivedHook {
  readonly path: string;
  readonly webhookId: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly reply: Reply;
  /** The test's clock when the request arrived. */
  readonly at: Date;
}

/**
 * A real HTTP receiver answering as `script` says for the n-th request (1-based) of a path; it
 * remembers every request, and, deduplicating by `webhook-id` as a receiver should, what it processed.
 */
export async function startWebhookReceiver(script: (path: string, n: number) => Reply, now: () => Date) {
  const received: ReceivedHook[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const reply = script(path, n);
      const webhookId = String(req.headers['webhook-id']);
      received.push({
        path,
        webhookId,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        reply,
        at: now(),
      });
      if (reply !== 'no answer') res.writeHead(reply.status, reply.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    /** Forgets every request, and starts each path's script again. */
    reset(): void {
      received.splice(0);
      counts.clear();
    },
    /** The requests answered 2xx, keyed by webhook-id: what a deduplicating receiver acted on. */
    processed(path?: string): Map<string, ReceivedHook[]> {
      const byId = new Map<string, ReceivedHook[]>();
      for (const hook of received.filter((h) => path === undefined || h.path === path)) {
        if (hook.reply === 'no answer' || hook.reply.status >= 300) continue;
        byId.set(hook.webhookId, [...(byId.get(hook.webhookId) ?? []), hook]);
      }
      return byId;
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
