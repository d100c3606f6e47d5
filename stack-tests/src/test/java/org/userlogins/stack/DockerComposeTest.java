package org.userlogins.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No Docker engine runs here, so docker-compose.yml is checked statically: it parses, names every
 * part the README names, and each service gets only settings its code reads, on the port it serves.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ENV_READ = Pattern.compile("env\\.[a-zA-Z]+\\(\"([A-Z0-9_]+)\"");

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
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

    @ParameterizedTest
    @CsvSource({"cdc-capture,CAPTURE_OPS_PORT", "stream-processor,PROCESSOR_OPS_PORT", "ch-writer,WRITER_OPS_PORT"})
    void shouldGiveEachServiceOnlySettingsItReadsAndServeItsOwnPort(String service, String portVariable) throws IOException {
        JsonNode node = compose().get("services").get(service);
        List<String> known = settingsReadBy(service);
        List<String> given = new ArrayList<>();
        node.get("environment").fieldNames().forEachRemaining(given::add);
        given.remove("<<"); // the shared Kafka settings (x-kafka-topics), read by every service

        assertThat(known).as("settings read by %s", service).containsAll(given).contains("KAFKA_BOOTSTRAP_SERVERS");
        String port = node.get("environment").get(portVariable).asText();
        assertThat(node.get("ports").get(0).asText()).isEqualTo(port + ":" + port);
        String dockerfile = Files.readString(ROOT.resolve(node.get("build").get("dockerfile").asText()));
        assertThat(dockerfile).contains("EXPOSE " + port).contains("USER app").contains("HEALTHCHECK")
                .contains("http://127.0.0.1:" + port + "/health");
    }

    @Test
    void shouldKeepSecretsOutOfTheFile() throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));

        assertThat(text).contains("${PGPASSWORD:?").contains("${CAPTURE_PGPASSWORD:?");
        assertThat(text).doesNotContainPattern("PASSWORD: [A-Za-z0-9]");
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
