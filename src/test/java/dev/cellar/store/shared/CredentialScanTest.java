package dev.cellar.store.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cellar.Cellar;
import dev.cellar.Parameters;
import dev.cellar.StoreException;
import dev.cellar.engine.Config;
import dev.cellar.engine.SharedConfig;
import dev.cellar.store.DataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a session that stores, hits, fails to connect and is refused a password, no credential (the
 * database password, the S3 secret key) appears in any stored row, object, server log, warning, status
 * line, store description or exception text.
 */
class CredentialScanTest {
    @TempDir
    Path tmp;

    @Test
    void noCredentialInRowsObjectsLogsMessagesOrExceptions() throws Exception {
        SharedServers servers = SharedServers.get();
        String schema = servers.freshSchema("creds");
        List<String> secrets = List.of(servers.password(), servers.get("AWS_SECRET_ACCESS_KEY"));
        List<String> texts = new ArrayList<>();
        try (Cellar a = servers.machine(tmp.resolve("a"), schema)
                .warnings(texts::add).build()) {
            a.onStatus(texts::add);
            a.cached("big", Parameters.of("n", 1), () -> new double[100_000]);
            a.cached("small", Parameters.of("n", 2), () -> "x");
            texts.add(a.entries().location());
        }
        try (Cellar b = servers.machine(tmp.resolve("b"), schema)
                .warnings(texts::add).build()) {
            b.onStatus(texts::add);
            b.cached("big", Parameters.of("n", 1), () -> new double[100_000]);
        }
        // a wrong password, a closed port: the warnings and exceptions a user would see
        String url = servers.url(schema);
        String wrongPassword = url.replace(servers.password(), servers.password() + "x");
        String closedPort = url.replaceFirst(":(\\d+)/", ":1/");
        int machine = 0;
        for (String bad : List.of(wrongPassword, closedPort)) {
            StoreException e = assertThrows(StoreException.class, () -> SharedConfig.openShared(
                    SharedConfig.settings(bad, null, null, null, servers.awsEnv())));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            texts.add(trace.toString());
            try (Cellar c = Cellar.builder().store(Config.fromEnvironment().openStore(tmp.resolve("c" + machine++)))
                    .shared(bad).sharedEnvironment(servers.awsEnv()).warnings(texts::add).build()) {
                c.cached("small", Parameters.of("n", 2), () -> "x");
            }
        }
        assertTrue(texts.stream().anyMatch(t -> t.contains("password authentication failed")), texts.toString());
        assertEquals(2, texts.stream().filter(t -> t.contains("shared store is unreachable")).count(), texts.toString());

        for (String t : texts) {
            for (String s : secrets) {
                assertFalse(t.contains(s), "credential in: " + t);
            }
        }
        try (Connection c = servers.jdbc(schema); Statement s = c.createStatement()) {
            for (String table : List.of("cellar_entries", "cellar_payloads", "cellar_blobs", "cellar_chunks",
                    "cellar_leases", "cellar_totals", "cellar_schema", "cellar_released")) {
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = r.getMetaData();
                    while (r.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            byte[] v = r.getBytes(i);
                            if (v != null) {
                                scan(new String(v, StandardCharsets.ISO_8859_1), secrets, table);
                            }
                        }
                    }
                }
            }
        }
        try (Stream<Path> files = Files.walk(servers.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("env") || name.equals("test-env") || name.equals("s3proxy.conf")
                        || f.toString().contains("/pg/")) {
                    continue; // the servers' own configuration, and PostgreSQL's data files (hashed passwords)
                }
                scan(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), secrets, f.toString());
            }
        }
    }

    private static void scan(String text, List<String> secrets, String where) {
        for (String s : secrets) {
            assertFalse(text.contains(s), "credential found in " + where);
        }
    }
}
