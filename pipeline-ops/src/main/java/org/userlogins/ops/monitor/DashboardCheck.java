package org.userlogins.ops.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.userlogins.kit.ConfigException;

/**
 * `dashboard-check --dashboard FILE --prometheus URL`: runs each panel's query against a live
 * Prometheus and fails when one returns an error or no series. A dashboard whose panels are
 * empty looks the same as a quiet pipeline; this tells the two apart while data flows.
 */
public final class DashboardCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardCheck() {
    }

    public static int run(String[] args) throws IOException, InterruptedException {
        Path dashboard = null;
        String prometheus = "http://127.0.0.1:9090";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dashboard" -> dashboard = Path.of(value(args, ++i, "--dashboard"));
                case "--prometheus" -> prometheus = value(args, ++i, "--prometheus");
                default -> throw new ConfigException("unknown option " + args[i] + "; use --dashboard FILE [--prometheus URL]");
            }
        }
        if (dashboard == null) {
            throw new ConfigException("--dashboard FILE is required (monitoring/grafana/dashboards/pipeline.json)");
        }
        List<DashboardQueries.Query> queries = DashboardQueries.of(JSON.readTree(dashboard.toFile()));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int empty = 0;
        for (DashboardQueries.Query query : queries) {
            String verdict = verdict(JSON.readTree(get(http, prometheus, query.expr())));
            if (!verdict.startsWith("ok")) {
                empty++;
            }
            System.out.printf("%-8s %-45s %s%n", verdict.startsWith("ok") ? "ok" : "EMPTY", query.panel(), query.expr());
            if (!verdict.startsWith("ok")) {
                System.out.println("         " + verdict);
            }
        }
        System.out.printf("%d of %d queries returned data%n", queries.size() - empty, queries.size());
        return empty == 0 && !queries.isEmpty() ? 0 : 1;
    }

    /** "ok: N series" when Prometheus answered with a number; otherwise what it said or lacked. */
    static String verdict(JsonNode answer) {
        if (!"success".equals(answer.path("status").asText())) {
            return "error: " + answer.path("error").asText(answer.toString());
        }
        int series = 0;
        int numbers = 0;
        for (JsonNode one : answer.path("data").path("result")) {
            series++;
            // A rate over no events divides 0 by 0: a series, but nothing to draw.
            if (!"NaN".equals(one.path("value").path(1).asText())) {
                numbers++;
            }
        }
        if (series == 0) {
            return "no series";
        }
        return numbers > 0 ? "ok: " + numbers + " series" : "only NaN (" + series + " series): no events in the window";
    }

    private static String get(HttpClient http, String prometheus, String expr) throws IOException, InterruptedException {
        URI uri = URI.create(prometheus + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new ConfigException(option + " needs a value");
        }
        return args[i];
    }
}
