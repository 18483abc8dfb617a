/* global process, console */
// Plain JavaScript on purpose: Node.js before 24 cannot load the project's .ts files and would stop
// with ERR_UNKNOWN_FILE_EXTENSION, which says nothing about the real cause. npm scripts preload this
// (`node --import ./scripts/require-node-24.js src/main.ts`) or run it first (`npm test`).
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(`issue-agent needs Node.js 24 or newer; this is ${process.versions.node}`);
  process.exit(1);
}
