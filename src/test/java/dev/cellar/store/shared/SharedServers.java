package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cellar.Cellar;
import dev.cellar.engine.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL and S3Proxy that shared-tier tests run against. CI ({@code .ci/run}) starts them
 * with {@code scripts/shared-servers start --test} and exports their settings as {@code CELLAR_TEST_*}
 * (and {@code AWS_*}); a test that then finds none fails.
 * A developer's run without them starts a private pair through the same script (stopped when the JVM
 * exits), or skips with a message saying so if PostgreSQL is not installed.
 */
public final class SharedServers {
    private static final Pattern URL = Pattern.compile("postgresql://([^:@]+):([^@]+)@([^:/]+):(\\d+)/(\\w+)");
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Map<String, String> env;

    private final Map<String, String> settings;

    private SharedServers(Map<String, String> settings) {
        this.settings = settings;
    }

    /** True under CI, where missing servers are a failure. */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return (ci != null && !ci.isEmpty() && !ci.equals("false")) || System.getenv("CELLAR_CI") != null;
    }

    /** The servers of this run (from the environment, or started once for this JVM). */
    public static synchronized SharedServers get() {
        if (env == null) {
            Map<String, String> e = System.getenv();
            if (e.get("CELLAR_TEST_SHARED") != null && e.get("AWS_ENDPOINT_URL_S3") != null) {
                // CELLAR_TEST_*: a developer's own CELLAR_SHARED (the team's database) is never used by tests
                Map<String, String> m = new HashMap<>(e);
                for (String k : List.of("SHARED", "SHARED_BLOBS", "SHARED_DIR")) {
                    m.put("CELLAR_" + k, e.get("CELLAR_TEST_" + k));
                }
                env = Map.copyOf(m);
            } else if (underCi()) {
                fail("CI runs without the shared-tier servers: .ci/run must start them with"
                        + " 'scripts/shared-servers start --test' and export CELLAR_TEST_SHARED... before the tests");
            } else {
                env = startPrivate();
            }
        }
        return new SharedServers(env);
    }

    /**
     * A pair of servers for this test alone (to be stopped and restarted by fault tests without
     * disturbing others); {@link #stop()} it when done.
     */
    public static SharedServers startOwn() {
        return new SharedServers(startPrivate());
    }

    /** {@code scripts/shared-servers CMD DIR}: stop, stop-postgres, start-postgres, stop-s3, start-s3. */
    public void control(String cmd) {
        try {
            Process p = new ProcessBuilder("scripts/shared-servers", cmd, dir().toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new AssertionError("scripts/shared-servers " + cmd + " failed");
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("scripts/shared-servers " + cmd, e);
        }
    }

    /** S3Proxy's process (the script records its pid; {@code setsid} execs java in place). */
    private ProcessHandle s3Process() {
        try {
            long pid = Long.parseLong(Files.readString(dir().resolve("s3proxy.pid")).trim());
            ProcessHandle p = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("S3Proxy is not running"));
            if (!p.info().commandLine().orElse("").contains("s3proxy")) {
                throw new AssertionError("pid " + pid + " is not S3Proxy: " + p.info().commandLine().orElse("?"));
            }
            return p;
        } catch (IOException e) {
            throw new AssertionError("no S3Proxy pid file in " + dir(), e);
        }
    }

    /** Sends S3Proxy a signal by name ({@code STOP} freezes it mid-request, {@code CONT} resumes it). */
    public void signalS3(String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(s3Process().pid())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new AssertionError("kill -" + signal + " S3Proxy failed");
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("kill -" + signal + " S3Proxy", e);
        }
    }

    /** SIGKILLs S3Proxy (frozen or not) and waits until it is gone; {@code control("start-s3")} restarts it. */
    public void killS3() {
        ProcessHandle p = s3Process();
        p.destroyForcibly(); // SIGKILL, also delivered to a stopped process
        p.onExit().join();
    }

    private static Map<String, String> startPrivate() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/lib/postgresql")),
                "PostgreSQL is not installed (apt-get install postgresql): shared-tier tests skipped");
        try {
            Process p = new ProcessBuilder("scripts/shared-servers", "start")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                fail("scripts/shared-servers start failed");
            }
            Map<String, String> e = new HashMap<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("export ")) {
                    int eq = line.indexOf('=');
                    e.put(line.substring(7, eq), line.substring(eq + 1));
                }
            }
            String dir = e.get("CELLAR_SHARED_DIR");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("scripts/shared-servers", "stop", dir).inheritIO().start().waitFor();
                } catch (IOException | InterruptedException ignored) {
                    // the temp directory stays; nothing else to do at JVM exit
                }
            }));
            return Map.copyOf(e);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot start the shared-tier servers", e);
        }
    }

    public String get(String name) {
        return settings.get(name);
    }

    /** The directory holding both servers' data (PostgreSQL cluster, S3Proxy's files). */
    public Path dir() {
        return Path.of(settings.get("CELLAR_SHARED_DIR"));
    }

    /** The S3 settings a store or a child process needs. */
    public Map<String, String> awsEnv() {
        Map<String, String> m = new HashMap<>();
        for (String k : new String[] {"AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
            m.put(k, settings.get(k));
        }
        return m;
    }

    /** The database password (for scans that prove it never leaks). */
    public String password() {
        return match().group(2);
    }

    private Matcher match() {
        Matcher m = URL.matcher(settings.get("CELLAR_SHARED"));
        if (!m.matches()) {
            throw new IllegalStateException("unexpected CELLAR_SHARED form");
        }
        return m;
    }

    /** A direct JDBC connection, for tests that inspect or damage rows. */
    public Connection jdbc(String schema) throws SQLException {
        Matcher m = match();
        Properties p = new Properties();
        p.setProperty("user", m.group(1));
        p.setProperty("password", m.group(2));
        if (schema != null) {
            p.setProperty("currentSchema", schema);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + m.group(3) + ":" + m.group(4) + "/" + m.group(5), p);
    }

    /** A new empty PostgreSQL schema; returns its name. Isolates tests sharing one database. */
    public String freshSchema(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet() + "_"
                + Long.toString(System.nanoTime() & 0xffffff, 36)).toLowerCase();
        try (Connection c = jdbc(null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create schema " + name, e);
        }
        return name;
    }

    /** {@code CELLAR_SHARED} pointing at a schema of its own. */
    /**
     * A builder for one "machine": its own local store in {@code localStore}, and this server pair's
     * database schema and bucket prefix {@code schema} as its shared tier.
     */
    public Cellar.Builder machine(Path localStore, String schema) {
        return Cellar.builder().store(Config.fromEnvironment().openStore(localStore))
                .shared(url(schema)).sharedBlobs(blobs(schema)).sharedEnvironment(awsEnv());
    }

    public String url(String schema) {
        return settings.get("CELLAR_SHARED") + "?currentSchema=" + schema;
    }

    /** {@code CELLAR_SHARED_BLOBS} with a prefix of its own. */
    public String blobs(String prefix) {
        return "s3://cellar/" + prefix;
    }
}
