/**
 * Runs protoc-gen-es (the protobuf-es code generator) under Deno, so that
 * generating the bindings needs no separate Node.js of a particular version.
 * buf starts this file as a local plugin; see `generate.ts`.
 *
 * @module
 */
import { runNodeJs } from "@bufbuild/protoplugin";
import { protocGenEs } from "@bufbuild/protoc-gen-es/dist/cjs/src/protoc-gen-es-plugin.js";

runNodeJs(protocGenEs);
