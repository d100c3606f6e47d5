package org.userlogins.capture.it;

import java.time.Duration;
import java.util.Map;
import org.userlogins.capture.CaptureService;
import org.userlogins.capture.config.CaptureSettings;
import org.userlogins.kit.Env;

/** Runs the service inside the test JVM, exactly as CaptureMain wires it, and stops it gracefully on close. */
final class InProcessCapture implements AutoCloseable {
    final CaptureService service;

    InProcessCapture(Map<String, String> env) {
        service = CaptureService.start(CaptureSettings.fromEnv(new Env(env)));
    }

    @Override
    public void close() {
        service.stop(Duration.ofSeconds(30));
    }
}
