import semver from "semver";

/** Node.js LTS lines by codename, as `.nvmrc` may name them (`lts/iron`). */
const LTS_CODENAMES: Readonly<Record<string, number>> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/** An even-numbered line becomes LTS about six months after its first release (April → October). */
const LTS_AFTER_DAYS = 170;

export type NodeRange = { kind: "range"; range: string } | { kind: "lts" } | { kind: "invalid" };

/**
 * What a `.nvmrc`, `.node-version`, `engines.node` or `toolchain.node` says, as a semver range:
 * `v22` and `22` are 22.x, `>=20 <23` and `^20.11` are ranges, `node`/`latest` the newest,
 * `lts/iron` line 20, `lts/*` the newest LTS line (which needs the release dates). Pure.
 */
export function nodeRange(spec: string): NodeRange {
  const text = spec.trim().toLowerCase();
  if (["node", "latest", "current", "stable", "*"].includes(text)) return { kind: "range", range: "*" };
  if (text === "lts/*" || text === "lts") return { kind: "lts" };
  const codename = /^lts\/(\w+)$/.exec(text)?.[1];
  if (codename) {
    const major = LTS_CODENAMES[codename];
    return major ? { kind: "range", range: `${major}.x` } : { kind: "invalid" };
  }
  const range = semver.validRange(text.replace(/^v(?=\d)/, ""));
  return range ? { kind: "range", range } : { kind: "invalid" };
}

/**
 * The newest published version that satisfies `range`; for `lts`, the newest version of the newest
 * even line whose first release is old enough to be LTS. `released` maps versions to their
 * publication dates (the registry's `time`). Pure.
 */
export function pickNodeVersion(
  range: Exclude<NodeRange, { kind: "invalid" }>,
  released: ReadonlyMap<string, Date>,
  now: Date,
): string | undefined {
  const versions = [...released.keys()].filter(
    (version) => semver.valid(version) && !semver.prerelease(version),
  );
  if (range.kind === "range") return semver.maxSatisfying(versions, range.range) ?? undefined;
  const ltsMajors = versions
    .filter((version) => semver.minor(version) === 0 && semver.patch(version) === 0)
    .filter((version) => semver.major(version) % 2 === 0)
    .filter((version) => now.getTime() - released.get(version)!.getTime() >= LTS_AFTER_DAYS * 86_400_000)
    .map((version) => semver.major(version));
  if (ltsMajors.length === 0) return undefined;
  return semver.maxSatisfying(versions, `${Math.max(...ltsMajors)}.x`) ?? undefined;
}
