/**
 * What tools leave behind in a working tree (dependency folders, caches, logs). Excluded locally, in
 * `.git/info/exclude`, on top of the repository's own `.gitignore`, so a repository that forgot to
 * ignore them still never gets them in a commit. Files the repository tracks are not affected.
 */
const GENERATED_FILES = [
  "node_modules/",
  "npm-debug.log*",
  "yarn-error.log*",
  ".pnpm-store/",
  "__pycache__/",
  "*.pyc",
  ".pytest_cache/",
  ".mypy_cache/",
  ".ruff_cache/",
  ".tox/",
  ".venv/",
  ".cache/",
  "coverage/",
  ".nyc_output/",
  // Cargo's and Maven's build output, at the root only: a directory named target elsewhere may be source.
  "/target/",
];
export const GENERATED_EXCLUDES = `${GENERATED_FILES.join("\n")}\n`;
