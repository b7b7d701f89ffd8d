/**
 * Full-page screenshots with headless Chromium over the DevTools protocol:
 * the page's whole height (not just the window), in light or dark colour
 * scheme (prefers-color-scheme emulated), and the number of visible text
 * characters so a blank page is caught.
 */

/** A running headless Chromium and its DevTools connection. */
export class Browser {
  #proc: Deno.ChildProcess;
  #ws: WebSocket;
  #id = 0;
  #pending = new Map<
    number,
    (m: { result?: unknown; error?: unknown }) => void
  >();
  #events: ((m: { method: string; sessionId?: string }) => void)[] = [];

  private constructor(proc: Deno.ChildProcess, ws: WebSocket) {
    this.#proc = proc;
    this.#ws = ws;
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id !== undefined) this.#pending.get(m.id)?.(m);
      else for (const f of this.#events) f(m);
    };
  }

  static async launch(): Promise<Browser> {
    const dir = await Deno.makeTempDir({ prefix: "chromium-" });
    const proc = new Deno.Command("chromium", {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--remote-debugging-port=0",
        `--user-data-dir=${dir}`,
        "about:blank",
      ],
      stderr: "piped",
      stdout: "null",
    }).spawn();
    const reader = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    let url = "";
    const deadline = Date.now() + 30_000;
    while (!url) {
      const { value, done } = await reader.read();
      if (done || Date.now() > deadline) {
        throw new Error(`chromium did not start: ${buf}`);
      }
      buf += value;
      url = /DevTools listening on (ws:\/\/\S+)/.exec(buf)?.[1] ?? "";
    }
    (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })();
    const ws = new WebSocket(url);
    await new Promise((res, rej) => {
      ws.onopen = res;
      ws.onerror = rej;
    });
    return new Browser(proc, ws);
  }

  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = ++this.#id;
    this.#ws.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((res, rej) =>
      this.#pending.set(
        id,
        (m) =>
          m.error
            ? rej(new Error(`${method}: ${JSON.stringify(m.error)}`))
            : res(m.result as T),
      )
    );
  }

  /** Screenshots `url` to `out` (PNG) at `width` CSS px; returns the page's height and visible text length. */
  async screenshot(
    url: string,
    out: string,
    dark: boolean,
    width = 1100,
  ): Promise<{ height: number; text: number }> {
    const { targetId } = await this.send<{ targetId: string }>(
      "Target.createTarget",
      { url: "about:blank" },
    );
    const { sessionId } = await this.send<{ sessionId: string }>(
      "Target.attachToTarget",
      { targetId, flatten: true },
    );
    try {
      const s = (m: string, p: Record<string, unknown> = {}) =>
        this.send<Record<string, unknown>>(m, p, sessionId);
      await s("Page.enable");
      await s("Emulation.setEmulatedMedia", {
        features: [{
          name: "prefers-color-scheme",
          value: dark ? "dark" : "light",
        }],
      });
      await s("Emulation.setDeviceMetricsOverride", {
        width,
        height: 800,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const loaded = new Promise<void>((res) => {
        const f = (m: { method: string; sessionId?: string }) => {
          if (m.method === "Page.loadEventFired" && m.sessionId === sessionId) {
            res();
          }
        };
        this.#events.push(f);
      });
      await s("Page.navigate", { url });
      await Promise.race([loaded, new Promise((r) => setTimeout(r, 15_000))]);
      await new Promise((r) => setTimeout(r, 300));
      const evalNum = async (expr: string) =>
        Number(
          ((await s("Runtime.evaluate", {
            expression: expr,
            returnByValue: true,
          })).result as { value: unknown }).value,
        );
      const height = Math.min(
        16_000,
        Math.ceil(await evalNum("document.documentElement.scrollHeight")),
      );
      const text = await evalNum("document.body.innerText.trim().length");
      await s("Emulation.setDeviceMetricsOverride", {
        width,
        height,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const shot = await s("Page.captureScreenshot", {
        format: "png",
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width, height, scale: 1 },
      });
      const write = (file: string, data: string) =>
        Deno.writeFile(
          file,
          Uint8Array.from(atob(data), (c) => c.charCodeAt(0)),
        );
      await write(out, shot.data as string);
      // Tall pages are also cut into parts a person (or an image viewer) can read at full size.
      const PART = 1600;
      for (let y = 0, i = 1; height > PART && y < height; y += PART, i++) {
        const part = await s("Page.captureScreenshot", {
          format: "png",
          captureBeyondViewport: true,
          clip: {
            x: 0,
            y,
            width,
            height: Math.min(PART, height - y),
            scale: 1,
          },
        });
        await write(
          out.replace(/\.png$/, `.part${i}.png`),
          part.data as string,
        );
      }
      return { height, text };
    } finally {
      await this.send("Target.closeTarget", { targetId }).catch(() => {});
    }
  }

  async close(): Promise<void> {
    try {
      this.#ws.close();
    } catch { /* closed */ }
    try {
      this.#proc.kill("SIGTERM");
    } catch { /* gone */ }
    await this.#proc.status;
  }
}
