/**
 * Paths shared by the test suites: the repository root and the fixtures in
 * `../shared/fixtures` beside the clone.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot: string = dirname(
  dirname(dirname(fileURLToPath(import.meta.url))),
);

/** `../shared/fixtures`, next to the repository. */
export const fixturesDir: string = join(
  dirname(repoRoot),
  "shared",
  "fixtures",
);
