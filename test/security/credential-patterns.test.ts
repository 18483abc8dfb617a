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

describe("maskCredentials, legacy and AWS forms", () => {
  const hex40 = "0123456789abcdef0123456789abcdef01234567";
  const awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  it.each([
    [`GITHUB_TOKEN=${hex40}`, "GITHUB_TOKEN=X"],
    [`export GH_TOKEN="${hex40}"`, 'export GH_TOKEN="X"'],
    [`{"access_token": "${hex40}"}`, '{"access_token": "X"}'],
    [`https://${hex40}@github.com/o/r.git`, "https://X@github.com/o/r.git"],
    [`https://${hex40}:x-oauth-basic@github.com/o/r.git`, "https://X@github.com/o/r.git"],
    [`aws_secret_access_key = ${awsSecret}`, "aws_secret_access_key = X"],
    [`AWS_SECRET_ACCESS_KEY=${awsSecret}`, "AWS_SECRET_ACCESS_KEY=X"],
    [`"SecretAccessKey": "${awsSecret}"`, '"SecretAccessKey": "X"'],
  ])("masks %j", (input, expected) => {
    expect(maskCredentials(input, "X")).toBe(expected);
  });

  it.each([
    `commit ${hex40}`,
    `https://github.com/o/r/commit/${hex40}`,
    `${hex40} refs/heads/main`,
    `index ${hex40.slice(0, 7)}..${hex40.slice(0, 7)} 100644`,
    `sha: ${hex40}`,
  ])("leaves the commit id in %j alone", (input) => {
    expect(maskCredentials(input, "X")).toBe(input);
  });
});
