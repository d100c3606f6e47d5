package org.userlogins.ops.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Every query of a Grafana dashboard's panels, rows' nested panels included, with its panel's title. */
public final class DashboardQueries {
    public record Query(String panel, String expr) {
    }

    private DashboardQueries() {
    }

    public static List<Query> of(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<Query> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    into.add(new Query(panel.path("title").asText("(untitled)"), expr));
                }
            }
            collect(panel.path("panels"), into);
        }
    }
}
