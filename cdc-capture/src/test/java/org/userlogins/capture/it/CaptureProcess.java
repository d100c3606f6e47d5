package org.userlogins.capture.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ServiceProcess;

/** The packaged service as a real OS process, run as ./pipeline runs it (stack/service-jvm.env), output in target/it-logs. */
final class CaptureProcess {
    private CaptureProcess() {
    }

    static ServiceProcess start(Map<String, String> env, String name) throws IOException {
        return ServiceProcess.launch("capture", ServiceJvm.load(Path.of("..").toAbsolutePath().normalize()).command("cdc-capture", Map.of()))
                .env(env).log(Path.of("target", "it-logs", name + ".log")).start();
    }

    /** Runs to completion (at most 60 s); the exit code in {@link ServiceProcess#exitCode()}, stdout and stderr in its output. */
    static ServiceProcess run(Map<String, String> env, String name) throws Exception {
        ServiceProcess p = start(env, name);
        p.awaitExit(Duration.ofSeconds(60));
        return p;
    }
}
