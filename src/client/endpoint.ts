/**
 * Endpoint parsing: the forms Flyte users write (`dns:///host:port`,
 * `host:port`, `http(s)://host[:port][/path]`) to one normalised shape.
 *
 * @module
 */
import { FlyteInvalidInputError } from "./errors.ts";

/**
 * A parsed endpoint.
 *
 * @example
 * ```ts
 * import { parseEndpoint, type ParsedEndpoint } from "./endpoint.ts";
 * const e: ParsedEndpoint = parseEndpoint("flyte.example.com");
 * console.log(e.authority, e.secure); // "flyte.example.com:443" true
 * ```
 */
export interface ParsedEndpoint {
  /** `host:port`, the form flytectl prints and console URLs are built from. */
  readonly authority: string;
  /** Host name or address (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Whether the connection uses TLS. */
  readonly secure: boolean;
  /** `http(s)://host:port` plus any path prefix, without a trailing slash. */
  readonly baseUrl: string;
}

/**
 * Parses an endpoint. `dns:///` is stripped. A bare `host[:port]` uses TLS
 * unless `insecure` is true; an explicit `http://` is always cleartext and
 * `https://` always TLS. Without a port: 443 with TLS, 80 without.
 *
 * @throws {FlyteInvalidInputError} naming the endpoint when it is empty or
 * malformed.
 *
 * @example
 * ```ts
 * import { parseEndpoint } from "./endpoint.ts";
 * const e = parseEndpoint("dns:///localhost:30080", true);
 * console.log(e.baseUrl); // "http://localhost:30080"
 * ```
 */
export function parseEndpoint(
  endpoint: string,
  insecure = false,
): ParsedEndpoint {
  const raw = endpoint.trim();
  if (!raw) {
    throw new FlyteInvalidInputError(
      "endpoint: empty; expected host:port, dns:///host:port or http(s)://host:port",
    );
  }
  let text = raw.replace(/^dns:\/\/\//, "");
  let secure = !insecure;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    if (s === "http") secure = false;
    else if (s === "https") secure = true;
    else {
      throw new FlyteInvalidInputError(
        `endpoint ${JSON.stringify(raw)}: unsupported scheme ${
          JSON.stringify(s)
        }; use host:port, dns:///host:port, http:// or https://`,
      );
    }
    text = text.slice(scheme[0].length);
  }
  let url: URL;
  try {
    url = new URL(`${secure ? "https" : "http"}://${text}`);
  } catch (cause) {
    throw new FlyteInvalidInputError(
      `endpoint ${JSON.stringify(raw)}: not a valid host[:port]`,
      { cause },
    );
  }
  if (!url.hostname || url.username || url.password || url.search) {
    throw new FlyteInvalidInputError(
      `endpoint ${JSON.stringify(raw)}: not a valid host[:port]`,
    );
  }
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const path = url.pathname.replace(/\/+$/, "");
  return {
    authority: `${hostPart}:${port}`,
    host,
    port,
    secure,
    baseUrl: `${secure ? "https" : "http"}://${hostPart}:${port}${path}`,
  };
}
