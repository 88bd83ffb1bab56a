# glossary's web editor in a container: the database on a volume, run as a
# user without privileges. See README.md, "Running a server".
#
#   docker build -t glossary .
#   docker volume create glossary-data
#   docker run --rm -v glossary-data:/data glossary init
#   docker run --rm -i -v glossary-data:/data glossary user add ana --role admin
#   docker run -d --name glossary -p 127.0.0.1:8080:8080 -v glossary-data:/data glossary

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The dependencies first, built once and cached while the sources change.
COPY Cargo.toml Cargo.lock ./
COPY crates/core/Cargo.toml crates/core/
COPY crates/site/Cargo.toml crates/site/
COPY crates/web/Cargo.toml crates/web/
RUN mkdir src && echo 'fn main() {}' > src/main.rs \
    && for c in core site web; do mkdir crates/$c/src && touch crates/$c/src/lib.rs; done \
    && cargo fetch --locked \
    && rm -r src crates
COPY . .
RUN cargo build --release --locked --bin glossary

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin glossary \
    && mkdir /data && chown glossary:glossary /data
COPY --from=build /src/target/release/glossary /usr/local/bin/glossary
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
ENV GLOSSARY_DB=/data/glossary.db
EXPOSE 8080
# The container's own network address: a network address needs an admin
# account (glossary refuses to start without one and says how to add it).
ENTRYPOINT ["glossary"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
