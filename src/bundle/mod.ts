/**
 * Interactive-mode serialisation: capture of local TypeScript tasks (module
 * files through `deno bundle`, notebook cells through the V8 inspector and
 * a parser), deterministic zip bundles with a manifest, the 150 MiB cap,
 * content versions, and the checks the runtime makes when unpacking.
 *
 * May import: src/sdk/contract.ts (types and the registry key), src/types,
 * the generated flyteidl bindings, fflate, acorn, periscopic. Never
 * src/remote or src/sandbox.
 *
 * @example
 * ```ts
 * import { buildBundle, taskVersion } from "./mod.ts";
 * const b = buildBundle({ program: "export {};", tasks: [] });
 * console.log(taskVersion({ bundleSha256: b.sha256, template: new Uint8Array(), image: "img" }).length); // 22
 * ```
 *
 * @module
 */
export {
  buildBundle,
  type Bundle,
  type BundleInput,
  MAX_BUNDLE_BYTES,
  sha256Hex,
} from "./bundle.ts";
export {
  type CapturedBundle,
  type CaptureOptions,
  captureTasks,
} from "./capture.ts";
export { bundleModule, normaliseBundle } from "./capture_module.ts";
export { captureCells, captureCellsSource } from "./capture_cell.ts";
export {
  BundleError,
  BundleIntegrityError,
  BundleTooLargeError,
  CaptureError,
  UnshippableReferenceError,
} from "./errors.ts";
export {
  type Manifest,
  MANIFEST_PATH,
  parseManifest,
  RUNTIME_VERSION,
} from "./manifest.ts";
export {
  DEFAULT_IGNORES,
  type FastPackage,
  fastPackage,
  type FastPackageOptions,
} from "./fast_package.ts";
export { unpackBundle } from "./unpack.ts";
export { hashVersion, taskVersion, workflowVersion } from "./version.ts";
export {
  listZip,
  readZip,
  writeZip,
  type ZipEntry,
  type ZipListing,
} from "./zip.ts";
