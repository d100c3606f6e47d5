package org.userlogins.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DashboardCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldFindTheQueriesOfPanelsInsideRowsToo() throws IOException {
        JsonNode dashboard = JSON.readTree("""
                {"panels": [
                  {"type": "row", "title": "r", "panels": [{"title": "inner", "targets": [{"expr": "up"}]}]},
                  {"title": "outer", "targets": [{"expr": "a"}, {"expr": ""}, {"refId": "B"}]}
                ]}""");

        assertThat(DashboardQueries.of(dashboard)).containsExactly(
                new DashboardQueries.Query("inner", "up"), new DashboardQueries.Query("outer", "a"));
    }

    @Test
    void shouldTellDataFromNoSeriesFromNaNFromAnError() throws IOException {
        assertThat(DashboardCheck.verdict(JSON.readTree("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0"]}]}}""")))
                .isEqualTo("ok: 1 series");
        assertThat(DashboardCheck.verdict(JSON.readTree("""
                {"status":"success","data":{"resultType":"vector","result":[]}}"""))).isEqualTo("no series");
        assertThat(DashboardCheck.verdict(JSON.readTree("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}""")))
                .startsWith("only NaN");
        assertThat(DashboardCheck.verdict(JSON.readTree("""
                {"status":"error","errorType":"bad_data","error":"parse error"}"""))).isEqualTo("error: parse error");
    }

    @Test
    void shouldFindEveryPanelOfTheShippedDashboardAQuery() throws IOException {
        JsonNode dashboard = JSON.readTree(Path.of("../monitoring/grafana/dashboards/pipeline.json").toFile());
        long panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                panels++;
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                assertThat(panel.path("datasource").path("uid").asText()).as("the provisioned datasource").isEqualTo("prometheus");
            }
        }
        assertThat(panels).isPositive();
        assertThat(DashboardQueries.of(dashboard)).hasSizeGreaterThanOrEqualTo((int) panels);
    }
}
