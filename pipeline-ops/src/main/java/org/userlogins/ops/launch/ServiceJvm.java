package org.userlogins.ops.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's JVM as {@code ./pipeline} runs it: heap and collector from {@code stack/service-jvm.env},
 * the file {@code stack/services.sh} reads too, so the bench, the chaos run and the tests launch the
 * services exactly as users run them.
 */
public final class ServiceJvm {
    private final Path root;
    private final Map<String, String> defaults;

    private ServiceJvm(Path root, Map<String, String> defaults) {
        this.root = root;
        this.defaults = defaults;
    }

    /** Reads {@code stack/service-jvm.env} under the project's root. */
    public static ServiceJvm load(Path root) {
        Map<String, String> defaults = new HashMap<>();
        try {
            for (String line : Files.readAllLines(root.resolve("stack/service-jvm.env"))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    defaults.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the services' JVM defaults under " + root, e);
        }
        return new ServiceJvm(root, defaults);
    }

    /** {@code CAPTURE}, {@code PROCESSOR} or {@code WRITER}: the prefix of the service's variables. */
    static String prefix(String service) {
        return switch (service) {
            case "cdc-capture" -> "CAPTURE";
            case "stream-processor" -> "PROCESSOR";
            case "ch-writer" -> "WRITER";
            default -> throw new IllegalArgumentException("not a service: " + service);
        };
    }

    /** The -Xmx value: CAPTURE_HEAP (etc.) from {@code env} if set, else the default. */
    public String heap(String service, Map<String, String> env) {
        String key = prefix(service) + "_HEAP";
        String value = env.get(key);
        return value != null && !value.isBlank() ? value : required(key);
    }

    /** The default heap in MiB. */
    public int defaultHeapMib(String service) {
        String heap = required(prefix(service) + "_HEAP").toLowerCase();
        long value = Long.parseLong(heap.replaceAll("[^0-9]", ""));
        return (int) (heap.endsWith("g") ? value * 1024 : heap.endsWith("m") ? value : value / (1024 * 1024));
    }

    public String gc(String service) {
        return required(prefix(service) + "_GC");
    }

    public Path jar(String service) {
        return root.resolve(service + "/target/" + service + ".jar");
    }

    /** {@code java -Xmx… <collector> -XX:+ExitOnOutOfMemoryError <extra…> -jar <service jar>}, with this JVM's java. */
    public List<String> command(String service, Map<String, String> env, List<String> extraFlags) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap(service, env), gc(service), "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(extraFlags);
        command.addAll(List.of("-jar", jar(service).toString()));
        return command;
    }

    public List<String> command(String service, Map<String, String> env) {
        return command(service, env, List.of());
    }

    private String required(String key) {
        String value = defaults.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is missing from " + root.resolve("stack/service-jvm.env"));
        }
        return value;
    }
}
