package org.userlogins.capture;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.capture.check.KafkaChecks;
import org.userlogins.capture.check.PostgresChecks;
import org.userlogins.capture.check.StartupException;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;

/** Entry point: read and check the configuration, start capture, stop it on SIGTERM. */
public final class CaptureMain {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureMain.class);

    private CaptureMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        CaptureSettings settings;
        try {
            settings = CaptureSettings.fromEnv(Env.system());
            LOG.info("configuration: {}", settings.describe());
            new PostgresChecks(settings).verify();
            new KafkaChecks(settings).verify();
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (StartupException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        CaptureService service = CaptureService.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> service.stop(Duration.ofSeconds(30)), "capture-shutdown"));
        int exitCode = service.awaitExit();
        if (exitCode != 0) {
            LOG.error("capture engine died; exiting with {} so the supervisor restarts it", exitCode);
        }
        System.exit(exitCode);
    }
}
