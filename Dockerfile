# frontdesk container image: the gateway, the connector plugins, ONNX Runtime, the default intent
# model and the example executors, on Debian slim, running as a non-root user.
#
#   docker build -t frontdesk .
#   docker run -p 8080:8080 -e FRONTDESK_REDIS_URL=... -e FRONTDESK_POSTGRES_URL=... frontdesk
#
# See docs/deploy.md. The build runs the same make targets as a developer machine.

FROM golang:1.26-bookworm AS build
# npm fetches ONNX Runtime (make onnxruntime); wabt builds the hand-written test executors.
RUN apt-get update && apt-get install -y --no-install-recommends npm wabt && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make build onnxruntime model wasm

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/bin/frontdesk /src/build/bin/frontdesk-local /src/build/bin/frontdesk-rest \
     /src/build/bin/frontdesk-salesforce /src/build/bin/frontdesk-twilio /src/build/bin/frontdesk-zendesk \
     /usr/local/bin/
COPY --from=build /src/build/onnxruntime/libonnxruntime.so.1 /usr/local/lib/frontdesk/libonnxruntime.so.1
COPY --from=build /src/build/model /usr/share/frontdesk/model
COPY --from=build /src/build/wasm /usr/share/frontdesk/wasm
COPY --from=build /src/examples/policies /usr/share/frontdesk/policies
COPY deploy/frontdesk.yaml /etc/frontdesk/frontdesk.yaml
ENV FRONTDESK_ONNXRUNTIME_LIB=/usr/local/lib/frontdesk/libonnxruntime.so.1
# 65532 is the conventional "nonroot" user; the image writes nothing outside /tmp.
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s CMD ["frontdesk", "version"]
ENTRYPOINT ["frontdesk", "serve", "--config", "/etc/frontdesk/frontdesk.yaml"]
