package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.userlogins.events.Topics;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * No Docker engine runs here, so docker-compose.yml is checked statically: it parses, names every
 * part the README names, each service gets only settings its code reads, on the port it serves,
 * the published ports stay on the loopback and can be moved, and the monitoring services mount
 * files that exist and scrape the services where compose runs them.
 *
 * <p>The file is read as compose reads it: YAML merge keys ({@code <<: *anchor}) are resolved,
 * the mapping's own keys winning. Jackson's YAML parser does not do that (it hands the alias over
 * as the anchor's name, a string), so the file is loaded by SnakeYAML's own constructor, which
 * does, and only then turned into a tree.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ENV_READ = Pattern.compile("env\\.[a-zA-Z]+\\(\"([A-Z0-9_]+)\"");
    private static final Pattern PUBLISHED = Pattern.compile("\\$\\{PUBLISH_ADDR:-127\\.0\\.0\\.1}:\\$\\{([A-Z_]+_HOST_PORT):-(\\d+)}:(\\d+)");
    private static final Map<String, String> TOPICS = Map.of("KAFKA_TOPIC_EVENTS", Topics.USER_EVENTS,
            "KAFKA_TOPIC_CLEAN", Topics.USER_EVENTS_CLEAN, "KAFKA_TOPIC_DLQ", Topics.USER_EVENTS_DLQ);

    private static JsonNode compose() throws IOException {
        return yaml(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    /** SnakeYAML's safe constructor resolves merge keys as compose does; the tree is Jackson's for the assertions. */
    private static JsonNode yaml(String text) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return new ObjectMapper().valueToTree(loaded);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    @Test
    void shouldResolveMergeKeysAsComposeDoes() {
        JsonNode node = yaml("""
                x-shared: &shared {A: shared, B: shared}
                before: {<<: *shared, B: own, C: own}
                after: {B: own, <<: *shared}
                """);

        assertThat(fieldNames(node.get("before"))).containsExactlyInAnyOrder("A", "B", "C");
        assertThat(node.get("before").get("B").asText()).isEqualTo("own");
        assertThat(node.get("after").get("A").asText()).isEqualTo("shared");
        assertThat(node.get("after").get("B").asText()).isEqualTo("own");
        assertThat(node.get("after").has("<<")).isFalse();
    }

    @Test
    void shouldDefineTheServersAndTheThreeServices() throws IOException {
        JsonNode services = compose().get("services");

        for (String name : List.of("postgres", "kafka", "clickhouse", "cdc-capture", "stream-processor", "ch-writer")) {
            assertThat(services.has(name)).as("service %s in docker-compose.yml", name).isTrue();
            assertThat(Files.readString(ROOT.resolve("README.md"))).contains(name);
        }
        assertThat(services.get("postgres").get("volumes").toString()).contains("./postgres-init:/docker-entrypoint-initdb.d");
        assertThat(services.get("postgres").get("command").toString()).contains("wal_level=logical");
    }

    @ParameterizedTest
    @CsvSource({"cdc-capture", "stream-processor", "ch-writer"})
    void shouldRestartEachServiceUnlessStoppedLikeTheLocalSupervisor(String service) throws IOException {
        assertThat(compose().get("services").get(service).get("restart").asText()).isEqualTo("unless-stopped");
    }

    @Test
    void shouldRunTheWriterAsTheLeastPrivilegeUserTheClickHouseServiceDefines() throws IOException {
        JsonNode services = compose().get("services");
        String writerUser = services.get("ch-writer").get("environment").get("CLICKHOUSE_USER").asText();
        JsonNode clickhouse = services.get("clickhouse");
        String usersFile = "clickhouse-init/users.d/pipeline-writer.xml";

        assertThat(clickhouse.get("volumes").toString()).contains("./" + usersFile + ":/etc/clickhouse-server/users.d/");
        assertThat(clickhouse.get("environment").has("CLICKHOUSE_WRITER_PASSWORD")).isTrue();
        assertThat(clickhouse.get("environment").get("CLICKHOUSE_USER").asText()).isNotEqualTo(writerUser);
        String users = Files.readString(ROOT.resolve(usersFile));
        String grants = users.substring(users.indexOf("<grants>"), users.indexOf("</grants>"));
        assertThat(users).contains("<" + writerUser + ">").contains("from_env=\"CLICKHOUSE_WRITER_PASSWORD\"")
                .doesNotContain("<access_management>");
        assertThat(grants).contains("GRANT CREATE DATABASE, CREATE TABLE, INSERT, SELECT, SHOW ON pipeline.*")
                .doesNotContain("DROP").doesNotContain("ALTER").doesNotContain("*.*");
    }

    /** The environment as compose gives it, shared settings merged in: each one must be read by the service. */
    @ParameterizedTest
    @CsvSource({"cdc-capture,CAPTURE_OPS_PORT,CAPTURE_HOST_PORT", "stream-processor,PROCESSOR_OPS_PORT,PROCESSOR_HOST_PORT",
            "ch-writer,WRITER_OPS_PORT,WRITER_HOST_PORT"})
    void shouldGiveEachServiceOnlySettingsItReadsAndServeItsOwnPort(String service, String portVariable, String hostPortVariable)
            throws IOException {
        JsonNode services = compose().get("services");
        JsonNode node = services.get(service);
        JsonNode environment = node.get("environment");
        List<String> known = settingsReadBy(service);
        List<String> given = fieldNames(environment);

        assertThat(given).as("settings given to %s", service).doesNotContain("<<").contains("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(known).as("settings read by %s", service).containsAll(given);
        assertThat(services.get("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("PLAINTEXT://" + environment.get("KAFKA_BOOTSTRAP_SERVERS").asText());
        for (String topicVariable : given.stream().filter(TOPICS::containsKey).toList()) {
            assertThat(environment.get(topicVariable).asText()).as("%s of %s", topicVariable, service).isEqualTo(TOPICS.get(topicVariable));
        }
        String port = environment.get(portVariable).asText();
        assertThat(node.get("ports").get(0).asText())
                .isEqualTo("${PUBLISH_ADDR:-127.0.0.1}:${" + hostPortVariable + ":-" + port + "}:" + port);
        String dockerfile = Files.readString(ROOT.resolve(node.get("build").get("dockerfile").asText()));
        assertThat(dockerfile).contains("EXPOSE " + port).contains("USER app").contains("HEALTHCHECK")
                .contains("http://127.0.0.1:${" + portVariable + ":-" + port + "}/health");
    }

    @ParameterizedTest
    @CsvSource({"cdc-capture", "stream-processor", "ch-writer"})
    void shouldBuildWithMavensRepositoryInABuildKitCache(String service) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(service + "/Dockerfile"));

        assertThat(dockerfile).startsWith("# syntax=docker/dockerfile:1\n");
        assertThat(dockerfile).containsPattern("RUN --mount=type=cache,[^\\n]*target=/root/\\.m2[^\\n]*\\\\\\n\\s*mvn ");
    }

    /** Every published port: on the loopback unless PUBLISH_ADDR says otherwise, its host side movable by a variable. */
    @Test
    void shouldPublishEachPortOnTheLoopbackAndLetItBeMoved() throws IOException {
        JsonNode services = compose().get("services");
        Map<String, String> variables = new LinkedHashMap<>();

        for (String service : fieldNames(services)) {
            JsonNode ports = services.get(service).get("ports");
            for (String published : ports == null ? List.<String>of() : texts(ports)) {
                Matcher m = PUBLISHED.matcher(published);
                assertThat(m.matches()).as("%s publishes %s", service, published).isTrue();
                assertThat(m.group(2)).as("default host port of %s", published).isEqualTo(m.group(3));
                assertThat(variables.put(m.group(1), service)).as("%s used once", m.group(1)).isNull();
            }
        }
        assertThat(variables).containsKeys("PG_HOST_PORT", "KAFKA_HOST_PORT", "CH_HTTP_HOST_PORT", "CH_TCP_HOST_PORT",
                "PROMETHEUS_HOST_PORT", "GRAFANA_HOST_PORT");
        // A client on the host is told to reconnect to the advertised HOST listener: the published port.
        assertThat(services.get("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("HOST://localhost:${KAFKA_HOST_PORT:-29092}");
        String operations = Files.readString(ROOT.resolve("docs/OPERATIONS.md"));
        assertThat(operations).contains("./pipeline down").contains("PUBLISH_ADDR");
        assertThat(variables.keySet()).allSatisfy(variable -> assertThat(operations).contains(variable));
    }

    /** The images run a temporary init server on first start; healthy must mean the real one, over the network. */
    @Test
    void shouldCheckTheServersHealthOverTheNetworkAndKeepKafkasDataInItsVolume() throws IOException {
        JsonNode services = compose().get("services");

        assertThat(services.get("postgres").get("healthcheck").get("test").toString()).contains("pg_isready -h postgres ");
        assertThat(services.get("clickhouse").get("healthcheck").get("test").toString()).contains("http://clickhouse:8123/ping")
                .doesNotContain("127.0.0.1").doesNotContain("localhost");
        JsonNode kafka = services.get("kafka");
        String logDirs = kafka.get("environment").get("KAFKA_LOG_DIRS").asText();
        assertThat(texts(kafka.get("volumes"))).contains("kafkadata:" + logDirs);
    }

    @Test
    void shouldKeepSecretsOutOfTheFileTheRepositoryAndTheImages() throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));

        assertThat(text).contains("${PGPASSWORD:?").contains("${CAPTURE_PGPASSWORD:?").contains("${GRAFANA_ADMIN_PASSWORD:?");
        assertThat(text).doesNotContainPattern("PASSWORD: [A-Za-z0-9]");
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".env", ".local/", "**/target/", ".git/");
    }

    /** Bind mounts of every service (postgres-init/, the ClickHouse users file, monitoring/) name paths of the repository. */
    @Test
    void shouldMountOnlyPathsThatExistInTheRepository() throws IOException {
        JsonNode services = compose().get("services");
        List<String> mounted = new ArrayList<>();

        for (String service : fieldNames(services)) {
            JsonNode volumes = services.get(service).get("volumes");
            for (String volume : volumes == null ? List.<String>of() : texts(volumes)) {
                if (volume.startsWith("./")) {
                    String source = volume.substring(0, volume.indexOf(':'));
                    assertThat(ROOT.resolve(source)).as("%s mounts %s", service, source).exists();
                    mounted.add(volume);
                }
            }
        }
        assertThat(mounted).contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./monitoring/rules:/etc/prometheus/rules:ro", "./monitoring/targets-compose:/etc/prometheus/targets:ro",
                "./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(ROOT.resolve("monitoring/rules")).isDirectory();
        assertThat(ROOT.resolve("monitoring/grafana/dashboards")).isDirectory();
    }

    @Test
    void shouldRunPinnedMonitoringWithItsDataInVolumesAndGrafanaOnPrometheus() throws IOException {
        JsonNode compose = compose();
        JsonNode prometheus = compose.get("services").get("prometheus");
        JsonNode grafana = compose.get("services").get("grafana");

        assertThat(prometheus.get("image").asText()).matches("prom/prometheus:v2\\.\\d+\\.\\d+");
        assertThat(grafana.get("image").asText()).matches("grafana/grafana:11\\.\\d+\\.\\d+");
        assertThat(prometheus.get("healthcheck").get("test").toString()).contains("/-/ready");
        assertThat(texts(prometheus.get("volumes"))).anySatisfy(v -> assertThat(v).matches("[a-z]+:/prometheus"));
        assertThat(compose.get("volumes").has(texts(prometheus.get("volumes")).stream()
                .filter(v -> v.endsWith(":/prometheus")).findFirst().orElseThrow().split(":")[0])).isTrue();
        assertThat(grafana.get("depends_on").has("prometheus")).isTrue();

        JsonNode datasource = yaml(Files.readString(ROOT.resolve("monitoring/grafana/provisioning/datasources/prometheus.yml")))
                .get("datasources").get(0);
        assertThat(datasource.get("name").asText()).isEqualTo("Prometheus");
        assertThat(datasource.get("uid").asText()).isEqualTo("prometheus");
        assertThat(datasource.get("isDefault").asBoolean()).isTrue();
        Matcher port = PUBLISHED.matcher(prometheus.get("ports").get(0).asText());
        assertThat(port.matches()).isTrue();
        assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:" + port.group(3));

        JsonNode provider = yaml(Files.readString(ROOT.resolve("monitoring/grafana/provisioning/dashboards/pipeline.yml")))
                .get("providers").get(0);
        assertThat(provider.get("type").asText()).isEqualTo("file");
        assertThat(texts(grafana.get("volumes"))).contains("./monitoring/grafana/dashboards:" + provider.get("options").get("path").asText() + ":ro");
    }

    /** Prometheus's file_sd targets name each service by its compose host and the ops port compose gives it. */
    @Test
    void shouldScrapeEachServiceAtItsComposeHostAndOpsPort() throws IOException {
        JsonNode services = compose().get("services");
        JsonNode groups = yaml(Files.readString(ROOT.resolve("monitoring/targets-compose/services.yml")));
        Map<String, String> opsPorts = Map.of("cdc-capture", "CAPTURE_OPS_PORT", "stream-processor", "PROCESSOR_OPS_PORT",
                "ch-writer", "WRITER_OPS_PORT");
        Map<String, List<String>> targets = new LinkedHashMap<>();

        assertThat(groups.isArray()).isTrue();
        groups.forEach(group -> targets.put(group.get("labels").get("service").asText(), texts(group.get("targets"))));
        assertThat(targets).containsOnlyKeys(opsPorts.keySet());
        opsPorts.forEach((service, variable) -> assertThat(targets.get(service)).as("targets of %s", service)
                .containsExactly(service + ":" + services.get(service).get("environment").get(variable).asText()));
    }

    private static List<String> settingsReadBy(String module) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = ENV_READ.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
