package org.userlogins.writer.it;

import java.io.IOException;
import java.util.Map;
import org.userlogins.ops.launch.ServiceJvm;
import org.userlogins.ops.launch.ServiceProcess;

/** The writer as a real OS process ({@code java -jar target/ch-writer.jar}), output in target/it-logs. */
final class WriterProcess {
    private WriterProcess() {
    }

    static ServiceProcess start(String name, Map<String, String> env) throws IOException {
        return ServiceProcess.launch("writer", ServiceJvm.load(ItSupport.MODULE_DIR.resolve("..").normalize()).command("ch-writer", Map.of()))
                .env(env).log(ItSupport.MODULE_DIR.resolve("target/it-logs/" + name + ".log")).appendingLog().start();
    }
}
