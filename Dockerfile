# Wallet service image: build with Swift on Debian 12, run on debian:bookworm-slim.
#   docker build -t wallet .   (or via docker-compose.yml)

# ---- build ----
# Package.swift needs swift-tools-version 6.2, so the 6.1 image is too old.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmariadb-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Resolve dependencies first so this layer is cached until the manifest changes.
COPY Package.* ./
RUN swift package resolve
COPY . .
RUN swift build -c release --product wallet --static-swift-stdlib \
 && mkdir -p /staging \
 && cp "$(swift build -c release --show-bin-path)/wallet" /staging/wallet \
 && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---- runtime ----
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmariadb3 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin wallet
COPY --from=build /staging/wallet /usr/local/bin/wallet
COPY --from=build /staging/swift-backtrace-static /usr/local/libexec/swift-backtrace-static
COPY migrations /app/migrations
COPY openapi.yaml /app/openapi.yaml
WORKDIR /app
# Readable crash backtraces from the statically linked runtime.
ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/libexec/swift-backtrace-static
USER wallet:wallet
EXPOSE 8080
ENTRYPOINT ["wallet"]
CMD ["serve", "--host", "0.0.0.0"]
