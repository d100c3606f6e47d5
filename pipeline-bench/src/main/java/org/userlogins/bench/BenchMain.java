package org.userlogins.bench;

import java.nio.file.Path;
import org.userlogins.bench.config.BenchSettings;
import org.userlogins.bench.pipeline.IsolatedPipeline;
import org.userlogins.bench.report.BenchReport;
import org.userlogins.bench.report.JsonReport;
import org.userlogins.bench.report.ReportBuilder;
import org.userlogins.bench.report.ReportComparison;
import org.userlogins.bench.report.SvgReport;
import org.userlogins.bench.report.TextReport;
import org.userlogins.kit.ConfigException;

/**
 * `./pipeline bench [--quick] [--report FILE] [--compare EARLIER.json]`: the report on stdout, JSON in
 * the file, its picture (SVG) beside it, and with --compare each figure beside the earlier report's. Exit 0 when
 * the run completed (in full mode: and met every target), 3 when a full run missed a target,
 * 1 on an error (rows lost, doubled or not arriving, a service dying), 2 on bad configuration.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        // cdc-capture's and pipeline-ops' jars on this classpath carry their own logback.xml; naming the
        // bench's own spares the report logback's warning about the duplicates and its status dump.
        System.setProperty("logback.configurationFile", "bench-logback.xml");
        BenchSettings settings;
        try {
            settings = BenchSettings.fromArgs(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        IsolatedPipeline pipeline = new IsolatedPipeline(settings);
        // Ctrl-C still stops the bench's services and drops its slot, topics and database.
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "bench-cleanup"));
        ReportBuilder builder = new ReportBuilder();
        long started = System.nanoTime();
        String error = null;
        try {
            BenchRun.run(settings, pipeline, builder);
        } catch (Exception e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!(e instanceof IllegalStateException)) {
                e.printStackTrace();
            }
        } finally {
            pipeline.close();
        }
        BenchReport report = builder.build(error, (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.print(TextReport.render(report));
        try {
            JsonReport.write(report, settings.report());
            System.out.println("report: " + settings.report());
        } catch (java.io.IOException e) {
            System.err.println("error: could not write " + settings.report() + ": " + e.getMessage());
        }
        Path picture = SvgReport.beside(settings.report());
        try {
            SvgReport.write(report, picture);
            System.out.println("picture: " + picture);
        } catch (java.io.IOException e) {
            System.err.println("error: could not write " + picture + ": " + e.getMessage());
        }
        if (settings.compare() != null) {
            try {
                System.out.print(ReportComparison.render(JsonReport.read(settings.compare()), JsonReport.tree(report)));
            } catch (java.io.IOException e) {
                System.err.println("error: could not compare with " + settings.compare() + ": " + e.getMessage());
            }
        }
        boolean allMet = report.targets().stream().allMatch(BenchReport.TargetResult::met);
        int exit = error != null ? 1 : settings.quick() || allMet ? 0 : 3;
        System.exit(exit);
    }
}
