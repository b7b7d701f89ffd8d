/**
 * S3's XML, through fast-xml-parser: documents the face answers with and the
 * request bodies it reads (DeleteObjects, CompleteMultipartUpload).
 *
 * @module
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { S3Error } from "./errors.ts";

/** S3's XML namespace. */
export const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

const builder = new XMLBuilder({
  ignoreAttributes: false,
  suppressEmptyNode: false,
});

/** Elements that may repeat in the request bodies the face reads. */
const REPEATED = new Set(["Object", "Part"]);

const parser = new XMLParser({
  isArray: (name) => REPEATED.has(name),
  parseTagValue: false,
  ignoreAttributes: true,
  removeNSPrefix: true,
});

/** An element's content: text, children, or a list of repeated children. */
export type XmlValue = string | number | boolean | XmlObject | XmlValue[];
/** Children by name. */
export interface XmlObject {
  [name: string]: XmlValue | undefined;
}

/**
 * An XML document with one root element (S3's namespace on it unless it is
 * `Error`, as S3 answers).
 *
 * @example
 * ```ts
 * import { xmlDocument } from "./xml.ts";
 * xmlDocument("Error", { Code: "NoSuchKey", Message: "The specified key does not exist." });
 * ```
 */
export function xmlDocument(root: string, body: XmlObject): string {
  const element = root === "Error" ? body : { "@_xmlns": S3_NS, ...body };
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    [root]: element,
  });
}

/**
 * Parses a request body; its root element must be `root`. Malformed XML is
 * S3's `MalformedXML` error.
 *
 * @example
 * ```ts
 * import { parseXml } from "./xml.ts";
 * parseXml("<Delete><Object><Key>a</Key></Object></Delete>", "Delete"); // { Object: [{ Key: "a" }] }
 * ```
 */
export function parseXml(text: string, root: string): XmlObject {
  let doc: XmlObject;
  try {
    doc = parser.parse(text, true) as XmlObject;
  } catch (e) {
    throw new S3Error(
      400,
      "MalformedXML",
      `the XML you provided was not well-formed: ${(e as Error).message}`,
    );
  }
  const v = doc[root];
  if (v === undefined || typeof v !== "object" || Array.isArray(v)) {
    if (v === "") return {};
    throw new S3Error(
      400,
      "MalformedXML",
      `the XML you provided has no <${root}> root element`,
    );
  }
  return v as XmlObject;
}
