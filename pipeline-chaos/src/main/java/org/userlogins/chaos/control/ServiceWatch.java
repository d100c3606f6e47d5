package org.userlogins.chaos.control;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
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
 * resident memory (VmRSS) and exits that nobody asked for. Each service runs under a supervisor
 * (stack/supervise.sh) that starts it again at once, so a dead PID is rarely seen: exits are read
 * from the supervisor's record, run/NAME.exits (one line per exit: epoch ms, time, pid, how, ...).
 * The run tells it which services it is about to kill ({@link #expectDown}); an exit recorded
 * while a service was expected down is the run's own doing, every other one counts as an exit
 * by itself. A service without a supervisor is still judged by its PID alone.
 */
public final class ServiceWatch implements AutoCloseable {
    /** A service that exited without having been killed; {@code how} is e.g. "exit 1", "signal KILL". */
    public record SelfExit(String service, long pid, long atMs, String how) {
    }

    private final Path runDir;
    private final List<String> services;
    private final Map<String, Long> peakRssKb = new ConcurrentHashMap<>();
    /** Service → when the run said it would kill it. */
    private final Map<String, Long> expectedDownSince = new ConcurrentHashMap<>();
    /** Service → bytes of its exits record already read (earlier exits are not this run's). */
    private final Map<String, Long> exitsRead = new ConcurrentHashMap<>();
    private final Set<Long> reportedPids = ConcurrentHashMap.newKeySet();
    private final List<SelfExit> exits = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ServiceWatch(Path stateDir, List<String> services) {
        this.runDir = stateDir.resolve("run");
        this.services = List.copyOf(services);
        for (String s : services) {
            exitsRead.put(s, size(exitsFile(s)));
        }
        this.thread = new Thread(this::loop, "chaos-watch");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void expectDown(List<String> names) {
        long now = System.currentTimeMillis();
        for (String name : names) {
            expectedDownSince.put(name, now);
        }
    }

    /** The fault is over: exits recorded until now are read while they are still expected. */
    public void clearExpected() {
        for (String s : services) {
            readExits(s);
        }
        expectedDownSince.clear();
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
        readExits(service);
        Optional<Long> pid = pid(service);
        if (pid.isEmpty()) {
            return;
        }
        Optional<Long> rss = rssKb(pid.get());
        if (rss.isPresent()) {
            peakRssKb.merge(service, rss.get(), Math::max);
        } else if (!supervised(service) && !expectedDownSince.containsKey(service)) {
            report(new SelfExit(service, pid.get(), System.currentTimeMillis(), "found dead"));
        }
    }

    /** New lines of the supervisor's record; synchronized: the loop and clearExpected both read. */
    private synchronized void readExits(String service) {
        Path file = exitsFile(service);
        long from = exitsRead.getOrDefault(service, 0L);
        if (size(file) < from) {
            from = 0;   // a new record (./pipeline down --purge deletes run/)
        }
        if (size(file) <= from) {
            return;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(from);
            byte[] bytes = new byte[(int) (in.length() - from)];
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int complete = text.lastIndexOf('\n') + 1;   // a line being written is read next time
            exitsRead.put(service, from + text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length);
            for (String line : text.substring(0, complete).split("\n")) {
                parseExit(service, line).ifPresent(e -> {
                    Long since = expectedDownSince.get(service);
                    if (since == null || e.atMs() < since) {
                        report(e);
                    }
                });
            }
        } catch (IOException e) {
            // read again next second
        }
    }

    /** One line of run/NAME.exits: epoch-ms, time, pid, how, seconds up, what next, last error (tabs). */
    static Optional<SelfExit> parseExit(String service, String line) {
        String[] f = line.split("\t");
        if (f.length < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SelfExit(service, Long.parseLong(f[2]), Long.parseLong(f[0]), f[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void report(SelfExit exit) {
        if (reportedPids.add(exit.pid())) {
            synchronized (exits) {
                exits.add(exit);
            }
        }
    }

    /** Services whose recorded process is gone (killed, exited, or waiting for its restart), or that have no PID file. */
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

    /** Dead services that no supervisor will start again (none runs, e.g. after a configuration error). */
    public List<String> unsupervised() {
        return dead().stream().filter(s -> !supervised(s)).toList();
    }

    private boolean supervised(String service) {
        Optional<Long> pid = readPid(runDir.resolve(service + ".supervisor.pid"));
        return pid.isPresent() && rssKb(pid.get()).isPresent();
    }

    private Optional<Long> pid(String service) {
        return readPid(runDir.resolve(service + ".pid"));
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path exitsFile(String service) {
        return runDir.resolve(service + ".exits");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
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
