import path from "node:path";

/**
 * Where package managers keep what they download, pointed into one directory per repository that
 * outlives the job (beside the repository's mirror), so the next job's setup installs from disk.
 * Nothing here is inside the working tree, so nothing in it can end up in a commit.
 */
export function dependencyCacheEnvironment(dir: string): Record<string, string> {
  return {
    npm_config_cache: path.join(dir, "npm"),
    // pnpm keeps its content-addressed store under XDG_DATA_HOME (npm_config_store_dir would make
    // npm warn about an unknown setting on every run).
    XDG_DATA_HOME: path.join(dir, "data"),
    YARN_CACHE_FOLDER: path.join(dir, "yarn"),
    COREPACK_HOME: path.join(dir, "corepack"),
    PIP_CACHE_DIR: path.join(dir, "pip"),
    UV_CACHE_DIR: path.join(dir, "uv"),
    POETRY_CACHE_DIR: path.join(dir, "poetry"),
    // Poetry would put the project's virtualenv in its cache, where the agent's commands cannot
    // reach it; in the project (`.venv`, excluded from commits) they can, as with uv.
    POETRY_VIRTUALENVS_IN_PROJECT: "true",
    CARGO_HOME: path.join(dir, "cargo"),
    ...goModuleCache(dir),
    GOCACHE: path.join(dir, "go-build"),
  };
}

/**
 * What of the cache the agent's own commands see, read-only. Go builds read modules from the module
 * cache, which Go itself keeps read-only, and write only to GOCACHE (the job's HOME); other tools
 * install into the working tree (node_modules, .venv), so they need nothing. Read-only, because a
 * command the model chose must not be able to plant something a later job's setup would trust.
 */
export function agentCacheEnvironment(dir: string): Record<string, string> {
  return goModuleCache(dir);
}

function goModuleCache(dir: string): Record<string, string> {
  return { GOMODCACHE: path.join(dir, "go-mod") };
}
