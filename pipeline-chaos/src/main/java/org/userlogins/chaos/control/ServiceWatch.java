package org.userlogins.chaos.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples each service once a second from its PID file ($PIPELINE_STATE_DIR/run/NAME.pid): peak
 * resident memory (VmRSS) and exits that nobody asked for. The run tells it which services it is
 * about to kill ({@link #expectDown}), so only the other deaths count as exits by themselves.
 */
public final class ServiceWatch implements AutoCloseable {
    /** A service found dead without having been killed. */
    public record SelfExit(String service, long pid, long atMs) {
    }

    private final Path runDir;
    private final List<String> services;
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    private final Set<String> expectedDown = ConcurrentHashMap.newKeySet();
    private final Set<Long> reportedPids = ConcurrentHashMap.newKeySet();
    private final List<SelfExit> exits = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ServiceWatch(Path stateDir, List<String> services) {
        this.runDir = stateDir.resolve("run");
        this.services = List.copyOf(services);
        this.thread = new Thread(this::loop, "chaos-watch");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void expectDown(List<String> names) {
        expectedDown.addAll(names);
    }

    public void clearExpected() {
        expectedDown.clear();
    }

    private void loop() {
        while (running) {
            for (String s : services) {
                sample(s);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(String service) {
        Optional<Long> pid = pid(service);
        if (pid.isEmpty()) {
            return;
        }
        Optional<Long> rss = rssKb(pid.get());
        if (rss.isPresent()) {
            peakRssKb.merge(service, rss.get(), Math::max);
        } else if (!expectedDown.contains(service) && reportedPids.add(pid.get())) {
            synchronized (exits) {
                exits.add(new SelfExit(service, pid.get(), System.currentTimeMillis()));
            }
        }
    }

    /** Services whose recorded process is gone (killed or exited), or that have no PID file. */
    public List<String> dead() {
        List<String> dead = new ArrayList<>();
        for (String s : services) {
            Optional<Long> pid = pid(s);
            if (pid.isEmpty() || rssKb(pid.get()).isEmpty()) {
                dead.add(s);
            }
        }
        return dead;
    }

    private Optional<Long> pid(String service) {
        try {
            return Optional.of(Long.parseLong(Files.readString(runDir.resolve(service + ".pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** VmRSS in kB; empty when the process is gone (or a zombie, which has no VmRSS line). */
    static Optional<Long> rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public Map<String, Long> peakRssKb() {
        return Map.copyOf(peakRssKb);
    }

    public List<SelfExit> selfExits() {
        synchronized (exits) {
            return List.copyOf(exits);
        }
    }

    public Set<String> services() {
        return new HashSet<>(services);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
