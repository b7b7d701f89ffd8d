/**
 * Direct codec: named JS values straight to binary LiteralMap bytes and
 * back, without building the Literal message tree when the type allows it.
 *
 * `encodeValues(values, vars)` gives exactly the bytes of
 * `encodeLiteralMap(toLiteralMap(values, vars))`, and
 * `decodeValues(bytes, vars)` exactly the values (and errors) of
 * `fromLiteralMap(decodeLiteralMap(bytes), vars)`. Lists of ints, floats,
 * strings and booleans — where one protobuf-es Literal per item (seven
 * objects and a bigint) is most of the cost — are written and read element
 * by element as bytes, and lists of records have their msgpack packed
 * straight into the output and unpacked straight from the input; an element in any other form (a hash, metadata, an
 * unsafe int64, ...) goes through the Literal path for that element, and
 * every other type through `toLiteral` / `fromLiteral` for its variable.
 *
 * @module
 */
export { encodeValues } from "./direct_encode.ts";
export { decodeValues } from "./direct_decode.ts";
export { directCounters } from "./direct_kind.ts";
