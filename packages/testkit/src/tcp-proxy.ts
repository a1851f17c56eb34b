import { connect as createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  port: number;
  /** Drops every connection and refuses new ones: the server is unreachable. */
  cut(): void;
  /** Accepts connections but forwards nothing either way: the server is frozen. */
  freeze(): void;
  /** Forwards again (existing frozen connections are dropped, as a real outage would). */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a shared server (PostgreSQL), so a test can make that server
 * unreachable or frozen for its own clients without touching the server everyone uses.
 */
export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  let mode: "open" | "cut" | "frozen" = "open";
  const pairs = new Set<[Socket, Socket | undefined]>();
  const dropAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream?.destroy();
    }
    pairs.clear();
  };
  const server = createServer((client) => {
    if (mode === "cut") {
      client.destroy();
      return;
    }
    const pair: [Socket, Socket | undefined] = [client, undefined];
    pairs.add(pair);
    client.on("error", () => {});
    client.on("close", () => {
      pairs.delete(pair);
      pair[1]?.destroy();
    });
    if (mode === "frozen") return;
    const upstream = createConnection(targetPort, targetHost);
    pair[1] = upstream;
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("proxy did not listen");
  return {
    port: address.port,
    cut() {
      mode = "cut";
      dropAll();
    },
    freeze() {
      mode = "frozen";
      for (const [client, upstream] of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    restore() {
      if (mode === "frozen") dropAll();
      mode = "open";
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
