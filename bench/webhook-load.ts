// Load generator for the webhook benchmark, run as its own process so the receiver's event loop
// is not shared with the client's. Sends signed `issues.labeled` deliveries with a fixed number in
// flight and prints each acknowledgement time (ms) as JSON on stdout.
// The first <warm-up> deliveries are sent with the same number in flight, then the client pauses
// for a second before the clock starts: every keep-alive connection is open by then, as behind the
// proxy or load balancer that fronts a receiver in production, and neither the client's start-up
// nor the receiver's work on the warm-up is in the figures. (Without it, the first 50 requests of
// the burst wait for their connections to be accepted one per busy event-loop turn.)
// Delivery ids are <prefix>-<first>, <prefix>-<first + 1>, …; so are the issues, unless <cycle> > 0:
// then the deliveries label issues 1 to <cycle> over and over.
// Usage: node bench/webhook-load.ts <url> <secret> <first> <warm-up> <count> <in flight> <prefix> [cycle]
import { createHmac } from "node:crypto";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { issuesLabeled } from "../test/fixtures/events.ts";

const [url, secret, firstArg, warmUpArg, countArg, inFlightArg, prefix, cycleArg] = process.argv.slice(2);
if (!url || !secret || !prefix) {
  throw new Error("usage: webhook-load.ts url secret first warmUp count inFlight prefix");
}
const first = Number(firstArg);
const warmUp = Number(warmUpArg);
const count = warmUp + Number(countArg);
const inFlight = Number(inFlightArg);
const cycle = Number(cycleArg ?? 0);

// Bodies and signatures are made before the clock starts: only the round trip is measured.
const deliveries = Array.from({ length: count }, (_, index) => {
  const sequence = first + index;
  const issue = cycle > 0 ? 1 + (sequence % cycle) : sequence;
  const body = JSON.stringify(
    issuesLabeled({ owner: "octo-org", repo: "hello-world", issueNumber: issue }).payload,
  );
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": `${prefix}-${sequence}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  };
});

// node:http with a keep-alive agent: far less client work per request than fetch, so the figure
// is the receiver's, not the load generator's.
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const post = (delivery: (typeof deliveries)[number]) =>
  new Promise<number>((resolve, reject) => {
    const request = http.request(url!, { method: "POST", agent, headers: delivery.headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end(delivery.body);
  });

let next = 0;
async function sender(times: number[], until: number): Promise<void> {
  while (next < until) {
    const delivery = deliveries[next++]!;
    const started = performance.now();
    const status = await post(delivery);
    times.push(performance.now() - started);
    if (status !== 200) throw new Error(`${delivery.headers["x-github-delivery"]} answered ${status}`);
  }
}
await Promise.all(Array.from({ length: Math.min(warmUp, inFlight) }, () => sender([], warmUp)));
await sleep(warmUp > 0 ? 1_000 : 0);
const times: number[] = [];
await Promise.all(Array.from({ length: inFlight }, () => sender(times, count)));
agent.destroy();
process.stdout.write(JSON.stringify(times));
