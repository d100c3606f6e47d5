package org.userlogins.kit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's window into a service: {@code GET /health}, readiness (200 while it does its
 * work, 503 otherwise: waiting for Kafka or ClickHouse, starting, broken), {@code GET /live},
 * liveness (200 while it is alive and will go on by itself, waiting included; 503 only when broken,
 * where a restart may help), both with the same one-line JSON body, and {@code GET /metrics}
 * (Prometheus text). The JDK's own HTTP
 * server: two endpoints do not justify a web framework. Port 0 disables it.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private OpsServer(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** A registry with the process's JVM, CPU, start time and RSS meters already bound. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessMeters.bindTo(registry);
        return registry;
    }

    /** Starts on 127.0.0.1-or-all (host) and port; {@code health} is polled per request. */
    public static OpsServer start(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health) {
        if (port == 0) {
            return new OpsServer(registry, null);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4", registry.scrape()));
            server.createContext("/health", exchange -> {
                Health h = health.get();
                respond(exchange, h.up() ? 200 : 503, "application/json", h.toJson());
            });
            server.createContext("/live", exchange -> {
                Health h = health.get();
                respond(exchange, h.live() ? 200 : 503, "application/json", h.toJson());
            });
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ops-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            LOG.info("health and metrics on http://{}:{}/health and /metrics", host, port);
            return new OpsServer(registry, server);
        } catch (IOException e) {
            throw new ConfigException("cannot listen on " + host + ":" + port + " for health and metrics (" + e.getMessage()
                    + "); set the service's OPS_PORT to a free port, or 0 to disable");
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * A service's state as /health (up: ready) and /live (live: alive, going on by itself) report it.
     */
    public record Health(boolean up, boolean live, String status, String detail) {
        public static Health up(String status) {
            return new Health(true, true, status, "");
        }

        /** Not doing its work now, but alive and waiting for something that passes (Kafka, ClickHouse, a lock). */
        public static Health down(String status, String detail) {
            return new Health(false, true, status, detail == null ? "" : detail);
        }

        /** Will not get better by itself: a restart may help. */
        public static Health broken(String status, String detail) {
            return new Health(false, false, status, detail == null ? "" : detail);
        }

        String toJson() {
            return "{\"status\":\"" + escape(status) + "\",\"up\":" + up + ",\"live\":" + live + ",\"detail\":\"" + escape(detail) + "\"}";
        }

        private static String escape(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
