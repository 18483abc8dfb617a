#!/usr/bin/env node
// The `issue-agent` command. Node strips TypeScript types only outside node_modules, so an
// installed copy runs the JavaScript that `npm run build` compiles into dist/ (`npm pack` builds
// it); a checkout, linked or run in place, runs its source as it is, never a stale build.
import path from "node:path";

const installed = import.meta.filename.split(path.sep).includes("node_modules");
await import(installed ? "../dist/cli/main.js" : "../src/cli/main.ts");
