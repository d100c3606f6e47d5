package org.userlogins.bench.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The report as JSON, field names as in {@link BenchReport}, for comparing runs. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(BenchReport report) throws IOException {
        return JSON.writeValueAsString(report);
    }

    public static JsonNode tree(BenchReport report) {
        return JSON.valueToTree(report);
    }

    public static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** An earlier report as measured; figures it predates are null, fields it has and this one lacks are ignored. */
    public static BenchReport readReport(Path file) throws IOException {
        return JSON.readerFor(BenchReport.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
    }

    public static void write(BenchReport report, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(report) + "\n");
    }
}
