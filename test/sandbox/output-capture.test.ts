import { describe, expect, it } from "vitest";
import { OutputCapture } from "../../src/sandbox/output-capture.ts";

describe("OutputCapture", () => {
  it("keeps everything under the budget", () => {
    const capture = new OutputCapture(100);
    capture.push(Buffer.from("hello "));
    capture.push(Buffer.from("world"));
    expect(capture.text()).toBe("hello world");
    expect(capture.omittedBytes).toBe(0);
  });

  it("keeps head and tail and says how much of the middle was left out", () => {
    const capture = new OutputCapture(10);
    for (const chunk of ["AAAA", "ABBB", "BBBB", "CCCC", "CCDD", "DDDE"]) capture.push(Buffer.from(chunk));
    expect(capture.totalBytes).toBe(24);
    expect(capture.omittedBytes).toBe(14);
    expect(capture.text()).toBe("AAAAA\n[… 14 bytes of output omitted …]\nDDDDE");
  });

  it("holds a bounded amount however much is pushed", () => {
    const capture = new OutputCapture(1_000);
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 200; i += 1) capture.push(chunk);
    expect(capture.text().length).toBeLessThan(1_100);
    expect(capture.omittedBytes).toBe(200 * 64 * 1024 - 1_000);
  });
});
