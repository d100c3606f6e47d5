package org.userlogins.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userlogins.bench.report.BenchReport.Latency;
import org.userlogins.bench.report.BenchReport.Machine;
import org.userlogins.bench.report.BenchReport.ProcessResources;
import org.userlogins.bench.report.BenchReport.Series;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class SvgReportTest {
    private static final List<String> STAGES = List.of("inserted into PostgreSQL", "published by cdc-capture",
            "accepted by stream-processor (clean topic)", "inserted by ch-writer into ClickHouse");

    /** Three fixed rates and a soak, four stages sampled over 6 s, two processes (one with a name to escape) over 4 s. */
    static BenchReport report() {
        ReportBuilder b = new ReportBuilder();
        b.machine(new Machine("full", "2026-11-28T10:00:00Z", 2, 24_000, "17", "15.18", "4.3.1", "26.7", "abc1234"), Map.of());
        b.latency(new Latency(100, 100, 6_000, 220, 320, 390, 570, 19, 4));
        b.latency(new Latency(1_000, 999, 60_000, 230, 320, 380, 510, 20, 7));
        b.latency(new Latency(10_000, 9_994, 600_000, 360, 920, 1_630, 1_940, 17, 3));
        b.soak(new BenchReport.Soak(10_000, 9_999, 600, 6_000_000, 800, 6_000, 12, List.of(3L, 7L, 9L), 0, 0));
        b.streaming(TargetsTest.STREAMING);
        b.streamingRowsPerSecond(List.of(
                new Series(STAGES.get(0), 1, List.of(80_000L, 85_000L, 84_000L, 0L, 0L, 0L)),
                new Series(STAGES.get(1), 1, List.of(12_000L, 13_000L, 12_500L, 12_000L, 11_000L, 0L)),
                new Series(STAGES.get(2), 1, List.of(11_000L, 12_500L, 12_000L, 12_000L, 11_500L, 1_000L)),
                new Series(STAGES.get(3), 1, List.of(0L, 50_000L, 0L, 0L, 50_000L, 0L))));
        b.resources(List.of(new ProcessResources("cdc-capture", 1, 356, 310, 97, 54, 9), new ProcessResources("kafka <broker> & co", 2, 742, 740, 100,
                20, 9)), 1_075, List.of(new Series("cdc-capture", 1, List.of(300L, 330L, 356L, 340L)),
                new Series("kafka <broker> & co", 1, List.of(740L, 741L, 742L, 742L))));
        return b.build(null, 100);
    }

    @Test
    void shouldDrawEachPanelWithItsSeriesAsWellFormedSvg() throws Exception {
        String svg = SvgReport.render(report());
        Document doc = parse(svg);

        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(svg).contains("Latency per fixed rate", "Throughput per stage in the streaming phase", "Memory per process",
                "Memory over time", "revision abc1234");
        // a group of bars per rate, labelled
        assertThat(texts(doc, SvgReport.LATENCY)).contains("100 rows/s", "1,000 rows/s", "10,000 rows/s", "soak 10,000 rows/s, 600 s",
                "p50", "p95", "p99", "max", "1,630");
        // a polyline per stage, named by its title, and each stage in the legend
        assertThat(lineNames(doc, SvgReport.THROUGHPUT)).containsExactlyElementsOf(STAGES);
        assertThat(texts(doc, SvgReport.THROUGHPUT)).containsAll(STAGES);
        // peak and median per process, and the services' summed peak
        assertThat(texts(doc, SvgReport.MEMORY)).contains("cdc-capture", "kafka <broker> & co", "3 services (sum)", "356", "1,075");
        assertThat(lineNames(doc, SvgReport.MEMORY_OVER_TIME)).containsExactly("cdc-capture", "kafka <broker> & co");
    }

    @Test
    void shouldSayWhatAnEarlierReportDidNotRecord() throws Exception {
        BenchReport old = ReportRenderingTest.report("full"); // no series over time, no soak

        Document doc = parse(SvgReport.render(old));

        assertThat(texts(doc, SvgReport.THROUGHPUT)).anyMatch(t -> t.startsWith("not recorded in this report"));
        assertThat(texts(doc, SvgReport.MEMORY_OVER_TIME)).anyMatch(t -> t.startsWith("not recorded in this report"));
        assertThat(texts(doc, SvgReport.LATENCY)).contains("1,000 rows/s", "10,000 rows/s");
    }

    @Test
    void shouldReadTheJsonReportBackAndWriteThePictureBesideIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report-20261128T100000Z.json");
        JsonReport.write(report(), json);

        BenchReport read = JsonReport.readReport(json);
        Path svg = SvgReport.beside(json);
        SvgReport.write(read, svg);

        assertThat(svg.getFileName().toString()).isEqualTo("report-20261128T100000Z.svg");
        assertThat(read.streamingRowsPerSecond()).isEqualTo(report().streamingRowsPerSecond());
        assertThat(Files.readString(svg)).isEqualTo(SvgReport.render(report()));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The words of the panel: its texts and its lines' names. */
    private static List<String> texts(Document doc, String panel) throws Exception {
        return contents(doc, "//g[@id='" + panel + "']//*[self::text or self::title]");
    }

    /** The name of each polyline of the panel, in drawing order. */
    private static List<String> lineNames(Document doc, String panel) throws Exception {
        return contents(doc, "//g[@id='" + panel + "']//polyline/title");
    }

    private static List<String> contents(Document doc, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
        return IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent()).toList();
    }
}
