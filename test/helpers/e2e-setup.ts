import nock from "nock";
import { afterAll, afterEach, beforeAll } from "vitest";
import { closeOpenHarnesses } from "./e2e-harness.ts";

// End-to-end files share a worker (see vitest.config.ts). Each starts as it would in a fresh one:
// no interceptor an earlier file left, and the network open until the file itself closes it.
function resetNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

beforeAll(resetNock);
afterAll(resetNock);
// Every harness a test started is closed after it, whatever the test did.
afterEach(closeOpenHarnesses);
