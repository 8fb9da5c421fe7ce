# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/dubbot ./cmd/dubbot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dubbot /usr/local/bin/dubbot
# The data directory belongs to the nonroot user, so a fresh volume is writable.
COPY --from=build --chown=65532:65532 /out/data /data
ENV DUBBOT_DATA_DIR=/data \
    DUBBOT_HTTP_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/dubbot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/dubbot"]
CMD ["run"]
