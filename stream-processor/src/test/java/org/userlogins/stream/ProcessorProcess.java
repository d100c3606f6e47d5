package org.userlogins.stream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ServiceProcess;

/**
 * The packaged service as a real OS process, run as ./pipeline runs it (stack/service-jvm.env;
 * PROCESSOR_HEAP in {@code env} overrides the heap, as in the environment of ./pipeline), stdout
 * and stderr in target/it-logs/{@code name}.log.
 */
final class ProcessorProcess {
    private ProcessorProcess() {
    }

    static ServiceProcess start(String name, Map<String, String> env) throws IOException {
        return ServiceProcess.launch("processor", ServiceJvm.load(Path.of("..").toAbsolutePath().normalize()).command("stream-processor", env))
                .env(env).log(Path.of("target", "it-logs", name + ".log")).start();
    }

    /** Runs to completion (at most {@code timeout}); the exit code in {@link ServiceProcess#exitCode()}, stdout and stderr in its output. */
    static ServiceProcess run(String name, Map<String, String> env, Duration timeout) throws Exception {
        ServiceProcess p = start(name, env);
        p.awaitExit(timeout);
        return p;
    }
}
