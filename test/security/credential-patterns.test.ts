import { describe, expect, it } from "vitest";
import { maskCredentials } from "../../src/security/credential-patterns.ts";

describe("maskCredentials", () => {
  it.each([
    ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here", "token X here"],
    ["ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "X"],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS", "X"],
    ["OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx", "OPENAI_API_KEY=X"],
    ["aws AKIAIOSFODNN7EXAMPLE key", "aws X key"],
    ["xoxb-123456789012-abcdefghij", "X"],
    ["https://user:hunter2pass@example.com/repo.git", "https://X@example.com/repo.git"],
    ['"authorization": "bearer abcdefghijklmnopqrstuvwxyz"', '"authorization": "bearer X"'],
    ["Authorization: token 0123456789abcdef0123", "Authorization: token X"],
    ["jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyMzR9.c2lnbmF0dXJlc2lnbmF0dXJl end", "jwt X end"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----\nafter", "X\nafter"],
  ])("masks %j", (input, expected) => {
    expect(maskCredentials(input, "X")).toBe(expected);
  });

  it.each([
    "sk-short",
    "the skeleton key",
    "ghp_short",
    "commit 3f2a9c1d4e5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f",
    "eyJ alone",
  ])("leaves %j alone", (input) => {
    expect(maskCredentials(input, "X")).toBe(input);
  });
});
