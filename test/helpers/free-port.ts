import { createServer } from "node:net";

/**
 * A TCP port nothing listens on right now, for a child process to take later. It is drawn from
 * below the kernel's ephemeral range (32768+): a port from `listen(0)` is handed out again to the
 * next `listen(0)` or outgoing connection of any parallel test, which then holds it when the child
 * starts (seen as EADDRINUSE in CI). Random, so parallel test files rarely draw the same one.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (listening) await new Promise((resolve) => server.close(resolve));
  return listening;
}
