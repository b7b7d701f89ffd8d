/**
 * Fast binary codec for LiteralMap / Literal trees (inputs.pb, outputs.pb),
 * on protobuf-es's own wire reader and writer. It walks the literal
 * messages that occur in bulk (Literal, LiteralCollection, LiteralMap,
 * Scalar, Primitive, Binary, Void, Union, Timestamp, Duration) directly, the
 * way generated code does, and hands every other submessage (blobs,
 * datasets, structs, LiteralTypes, errors, ...) to protobuf-es `toBinary` /
 * `fromBinary`. The result is exactly what `toBinary(LiteralMapSchema, m)` /
 * `fromBinary(LiteralMapSchema, b)` give (tests compare them byte for byte
 * and field by field); anything unexpected (an unknown field, a repeated
 * singular field) falls back to protobuf-es for the whole message.
 * Collection elements that are plain int literals (the bulk of a big list)
 * are written with their lengths known in advance and read by one pattern
 * check, still building the same messages.
 *
 * @module
 */
export { decodeLiteral, decodeLiteralMap } from "./wire_decode.ts";
export { encodeLiteral, encodeLiteralMap } from "./wire_encode.ts";
