/**
 * Child process of sandbox_server_test.ts: a raw HTTP/1.1 client (Deno TCP,
 * no HTTP library) that talks to the sandbox's one port the awkward ways real
 * clients do. In another process so its writes race the server's reads as a
 * real client's do. Reads a plan (JSON) from the file named by its first
 * argument and prints one JSON line of results.
 *
 * Scenarios:
 * - `puts`: each PUT on a new connection, its head in one write and the body
 *   in 8 KiB writes (what Python's `requests` does for flytekit's code upload),
 *   `concurrency` at a time;
 * - `keepAlive`: several requests, one after another, on one connection;
 * - `pipelined`: several GETs in a single write on one connection;
 * - `firstByte`: the first byte of a request alone, the rest a moment later;
 * - `expectContinue`: `Expect: 100-continue`, the body only after the 100;
 * - `chunked`: a chunked PUT body.
 *
 * @module
 */

/** One signed PUT: its URL and the seed of its body. */
export interface PlannedPut {
  /** Signed URL. */
  url: string;
  /** Body size in bytes. */
  size: number;
  /** Seed of {@link bodyOf}. */
  seed: number;
}

/** What the test asks the child to do. */
export interface ClientPlan {
  /** Server port on 127.0.0.1. */
  port: number;
  /** Scenario name. */
  scenario: string;
  /** Signed PUTs to send. */
  puts: PlannedPut[];
  /** Parallel connections for `puts`. */
  concurrency: number;
}

/** One answer as the child saw it. */
export interface Answer {
  /** HTTP status (0 when the connection failed before one). */
  status: number;
  /** Response body (text), or the connection error. */
  body: string;
}

/**
 * The deterministic body of a planned PUT.
 *
 * @example
 * ```ts
 * import { bodyOf } from "./sandbox_http_client.ts";
 * console.log(bodyOf(1, 4)); // Uint8Array [ 1, 8, 15, 22 ]
 * ```
 */
export function bodyOf(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (seed + i * 7) & 0xff;
  return out;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Reads responses off a connection, keeping what is read beyond one. */
class Reader {
  #buf = new Uint8Array(0);
  readonly #conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(65536);
    const n = await this.#conn.read(chunk);
    if (n === null) return false;
    const next = new Uint8Array(this.#buf.length + n);
    next.set(this.#buf);
    next.set(chunk.subarray(0, n), this.#buf.length);
    this.#buf = next;
    return true;
  }

  #headEnd(): number {
    for (let i = 0; i + 3 < this.#buf.length; i++) {
      if (
        this.#buf[i] === 13 && this.#buf[i + 1] === 10 &&
        this.#buf[i + 2] === 13 && this.#buf[i + 3] === 10
      ) return i;
    }
    return -1;
  }

  /** One response (status and body); bodies by Content-Length or to EOF. */
  async response(): Promise<Answer> {
    let end = this.#headEnd();
    while (end < 0) {
      if (!(await this.#fill())) {
        return { status: 0, body: `connection closed: ${this.#text()}` };
      }
      end = this.#headEnd();
    }
    const head = dec.decode(this.#buf.subarray(0, end));
    this.#buf = this.#buf.subarray(end + 4);
    const status = Number(head.split(" ")[1]);
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      return { status, body: await this.#chunked() };
    }
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      if (status === 100 || status === 204 || status === 304) {
        return { status, body: "" };
      }
      while (await this.#fill());
      const body = this.#text();
      this.#buf = new Uint8Array(0);
      return { status, body };
    }
    const len = Number(m[1]);
    while (this.#buf.length < len) {
      if (!(await this.#fill())) break;
    }
    const body = dec.decode(this.#buf.subarray(0, len));
    this.#buf = this.#buf.subarray(len);
    return { status, body };
  }

  async #line(): Promise<string> {
    for (;;) {
      const i = this.#buf.indexOf(10);
      if (i >= 0) {
        const line = dec.decode(this.#buf.subarray(0, i)).replace(/\r$/, "");
        this.#buf = this.#buf.subarray(i + 1);
        return line;
      }
      if (!(await this.#fill())) {
        throw new Error("connection closed in a chunk");
      }
    }
  }

  async #chunked(): Promise<string> {
    let body = "";
    for (;;) {
      const size = parseInt(await this.#line(), 16);
      if (size === 0) {
        while ((await this.#line()) !== "");
        return body;
      }
      while (this.#buf.length < size + 2) {
        if (!(await this.#fill())) {
          throw new Error("connection closed in a chunk");
        }
      }
      body += dec.decode(this.#buf.subarray(0, size));
      this.#buf = this.#buf.subarray(size + 2);
    }
  }

  #text(): string {
    return dec.decode(this.#buf);
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array) {
  let n = 0;
  while (n < data.length) n += await conn.write(data.subarray(n));
}

function headOf(
  verb: string,
  url: string,
  headers: Record<string, string>,
): Uint8Array {
  const u = new URL(url);
  const lines = [
    `${verb} ${u.pathname}${u.search} HTTP/1.1`,
    `Host: ${u.host}`,
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return enc.encode(lines.join("\r\n") + "\r\n\r\n");
}

async function connect(port: number): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  return conn;
}

async function splitPut(port: number, p: PlannedPut): Promise<Answer> {
  const conn = await connect(port);
  try {
    const body = bodyOf(p.seed, p.size);
    await writeAll(
      conn,
      headOf("PUT", p.url, { "Content-Length": String(body.length) }),
    );
    for (let o = 0; o < body.length; o += 8192) {
      await writeAll(conn, body.subarray(o, o + 8192));
    }
    return await new Reader(conn).response();
  } finally {
    conn.close();
  }
}

async function run(plan: ClientPlan): Promise<Answer[]> {
  const { port, puts } = plan;
  const health = `http://127.0.0.1:${port}/healthcheck`;
  switch (plan.scenario) {
    case "puts": {
      const out: Answer[] = new Array(puts.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: plan.concurrency }, async () => {
          while (next < puts.length) {
            const i = next++;
            out[i] = await splitPut(port, puts[i]).catch((e) => ({
              status: 0,
              body: String(e),
            }));
          }
        }),
      );
      return out;
    }
    case "keepAlive": {
      const conn = await connect(port);
      const reader = new Reader(conn);
      const out: Answer[] = [];
      for (const p of puts) {
        const body = bodyOf(p.seed, p.size);
        await writeAll(
          conn,
          headOf("PUT", p.url, { "Content-Length": String(body.length) }),
        );
        await writeAll(conn, body);
        out.push(await reader.response());
        await writeAll(conn, headOf("GET", health, {}));
        out.push(await reader.response());
      }
      conn.close();
      return out;
    }
    case "pipelined": {
      const conn = await connect(port);
      const one = headOf("GET", health, {});
      const all = new Uint8Array(one.length * 10);
      for (let i = 0; i < 10; i++) all.set(one, i * one.length);
      await writeAll(conn, all);
      const reader = new Reader(conn);
      const out: Answer[] = [];
      for (let i = 0; i < 10; i++) out.push(await reader.response());
      conn.close();
      return out;
    }
    case "firstByte": {
      const out: Answer[] = [];
      for (const p of puts) {
        const conn = await connect(port);
        const body = bodyOf(p.seed, p.size);
        const head = headOf("PUT", p.url, {
          "Content-Length": String(body.length),
        });
        await writeAll(conn, head.subarray(0, 1));
        await new Promise((r) => setTimeout(r, 20));
        await writeAll(conn, head.subarray(1));
        await writeAll(conn, body);
        out.push(await new Reader(conn).response());
        conn.close();
      }
      return out;
    }
    case "expectContinue": {
      const out: Answer[] = [];
      for (const p of puts) {
        const conn = await connect(port);
        const reader = new Reader(conn);
        const body = bodyOf(p.seed, p.size);
        await writeAll(
          conn,
          headOf("PUT", p.url, {
            "Content-Length": String(body.length),
            "Expect": "100-continue",
          }),
        );
        const interim = await reader.response();
        if (interim.status !== 100) {
          out.push(interim);
        } else {
          await writeAll(conn, body);
          out.push(await reader.response());
        }
        conn.close();
      }
      return out;
    }
    case "chunked": {
      const out: Answer[] = [];
      for (const p of puts) {
        const conn = await connect(port);
        const body = bodyOf(p.seed, p.size);
        await writeAll(
          conn,
          headOf("PUT", p.url, { "Transfer-Encoding": "chunked" }),
        );
        for (let o = 0; o < body.length; o += 5000) {
          const part = body.subarray(o, o + 5000);
          await writeAll(conn, enc.encode(`${part.length.toString(16)}\r\n`));
          await writeAll(conn, part);
          await writeAll(conn, enc.encode("\r\n"));
        }
        await writeAll(conn, enc.encode("0\r\n\r\n"));
        out.push(await new Reader(conn).response());
        conn.close();
      }
      return out;
    }
  }
  throw new Error(`unknown scenario ${plan.scenario}`);
}

if (import.meta.main) {
  const plan = JSON.parse(await Deno.readTextFile(Deno.args[0])) as ClientPlan;
  console.log(JSON.stringify(await run(plan)));
}
