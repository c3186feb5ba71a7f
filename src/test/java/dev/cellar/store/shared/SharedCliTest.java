package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.engine.Config;
import dev.cellar.testing.JvmOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cellar --shared ls|show|stats|verify|rm|gc} and {@code push}/{@code pull}, as a user runs them. */
class SharedCliTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out) {}

    private Run cli(SharedServers servers, String schema, String... args) throws Exception {
        List<String> cmd = JvmOptions.command();
        cmd.add("dev.cellar.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.putAll(servers.awsEnv());
        env.put("CELLAR_SHARED", servers.url(schema));
        env.put("CELLAR_SHARED_BLOBS", servers.blobs(schema));
        env.put("CELLAR_DIR", tmp.resolve("default").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        assertFalse(out.contains(servers.password()), "password in CLI output: " + out);
        return new Run(status, out);
    }

    private Cellar machine(SharedServers servers, String schema, String dir, boolean shared) {
        Cellar.Builder b = Cellar.builder().store(Config.fromEnvironment().openStore(tmp.resolve(dir)));
        if (shared) {
            b.shared(servers.url(schema)).sharedBlobs(servers.blobs(schema)).sharedEnvironment(servers.awsEnv());
        }
        return b.build();
    }

    @Test
    void managesTheSharedStoreAndCopiesEntriesBothWays() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("cli");
        try (Cellar a = machine(servers, schema, "a", true)) {
            a.cached("alpha", Parameters.of("x", 1), () -> "small value");
            a.cached("beta", Parameters.of("x", 2), () -> new double[300_000]);
        }
        Run ls = cli(servers, schema, "--shared", "ls");
        assertEquals(0, ls.status(), ls.out());
        assertTrue(ls.out().contains("alpha") && ls.out().contains("beta"), ls.out());
        Run stats = cli(servers, schema, "--shared", "stats");
        assertTrue(stats.out().contains("entries:    2"), stats.out());
        Run show = cli(servers, schema, "--shared", "show", "beta");
        assertEquals(0, show.status(), show.out());
        assertTrue(show.out().contains("beta"), show.out());
        Run verify = cli(servers, schema, "--shared", "verify");
        assertEquals(0, verify.status(), verify.out());
        Run store = cli(servers, schema, "--shared", "store");
        assertTrue(store.out().contains("postgresql://cellar@") && store.out().contains("s3://cellar/" + schema),
                store.out());

        Run pull = cli(servers, schema, "--dir", tmp.resolve("b").toString(), "pull", "--all");
        assertEquals(0, pull.status(), pull.out());
        assertTrue(pull.out().contains("pulled 2 entries"), pull.out());
        Run lsB = cli(servers, schema, "--dir", tmp.resolve("b").toString(), "ls");
        assertTrue(lsB.out().contains("alpha") && lsB.out().contains("beta"), lsB.out());

        try (Cellar c = machine(servers, schema, "c", false)) {
            c.cached("gamma", Parameters.of("x", 3), () -> new long[200_000]);
        }
        Run push = cli(servers, schema, "--dir", tmp.resolve("c").toString(), "push", "gamma");
        assertTrue(push.out().contains("pushed 1 entries"), push.out());
        long objects = TwoMachinesTest.objectFiles(servers, schema);
        assertTrue(cli(servers, schema, "--shared", "ls").out().contains("gamma"));

        Run rm = cli(servers, schema, "--shared", "rm", "gamma", "-y");
        assertEquals(0, rm.status(), rm.out());
        assertFalse(cli(servers, schema, "--shared", "ls").out().contains("gamma"));
        Run gc = cli(servers, schema, "--shared", "gc", "--grace", "0s");
        assertTrue(gc.out().contains("deleted 1 unreferenced payloads"), gc.out());
        assertEquals(objects - 1, TwoMachinesTest.objectFiles(servers, schema), "gamma's object collected");
    }
}
