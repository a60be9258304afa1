package io.hostrail.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/** A real Redis 7 server from the binary shipped in embedded-redis, bound to loopback. */
public final class EmbeddedRedisServer implements AutoCloseable {

    private final RedisServer redis;
    private final int port;

    private EmbeddedRedisServer(RedisServer redis, int port) {
        this.redis = redis;
        this.port = port;
    }

    /** With a data directory Redis snapshots there and reloads on restart; without one it keeps nothing. */
    public static EmbeddedRedisServer start(Path dataDirectory, int port) {
        int chosenPort = port > 0 ? port : FreePorts.find();
        var builder = RedisServer.builder()
                .port(chosenPort)
                .bind("127.0.0.1")
                .setting("maxmemory 256mb")
                .setting("maxmemory-policy allkeys-lru")
                .setting("daemonize no");
        if (dataDirectory != null) {
            try {
                Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builder.setting("dir " + dataDirectory.toAbsolutePath())
                    .setting("save 60 1");
        } else {
            builder.setting("save \"\"").setting("appendonly no");
        }
        RedisServer redis = builder.build();
        redis.start();
        return new EmbeddedRedisServer(redis, chosenPort);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        redis.stop();
    }
}
