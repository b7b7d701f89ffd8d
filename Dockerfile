# The task image for TypeScript tasks: Deno at the pinned version and the
# flyte-deno runtime on PATH as `flyte-deno-runtime` (the command every
# TypeScript task template names). Build with `deno task image`.
FROM denoland/deno:bin-2.9.6 AS deno

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY --from=deno /deno /usr/local/bin/deno
ENV DENO_DIR=/opt/flyte-deno/.deno-cache
WORKDIR /opt/flyte-deno
COPY deno.json deno.lock ./
COPY src ./src
COPY proto/gen ./proto/gen
# Everything the runtime imports (S3 client included), cached at build time.
RUN deno cache --config deno.json src/runtime/main.ts src/data/s3.ts \
  && printf '#!/bin/sh\nexec deno run -A --config /opt/flyte-deno/deno.json /opt/flyte-deno/src/runtime/main.ts "$@"\n' \
    > /usr/local/bin/flyte-deno-runtime \
  && chmod +x /usr/local/bin/flyte-deno-runtime \
  && chmod -R a+rX /opt/flyte-deno
WORKDIR /work
