package dev.cellar.store.postgres;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A database address as a team writes it ({@code postgresql://user:password@host:port/db?params} or a
 * {@code jdbc:postgresql:} URL), turned into a JDBC URL without credentials plus connection
 * properties. The password comes from the URL, else {@code PGPASSWORD}, else {@code ~/.pgpass}
 * ({@code PGPASSFILE}), as {@code psql} finds it. {@link #masked()} and {@link #scrub} keep it out of
 * every message.
 */
final class PgUrl {
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> params;

    private PgUrl(String host, int port, String database, String user, String password, Map<String, String> params) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.params = params;
    }

    /** @throws IllegalArgumentException naming what is wrong (never echoing a password) */
    static PgUrl parse(String url, Map<String, String> env) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no PostgreSQL URL given");
        }
        String rest;
        if (url.startsWith("jdbc:postgresql://")) {
            rest = url.substring("jdbc:postgresql://".length());
        } else if (url.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (url.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("CELLAR_SHARED must be a postgresql://user@host:port/db URL "
                    + "(or jdbc:postgresql://...), got one starting with '"
                    + url.substring(0, Math.min(12, url.length())).replaceAll("[^\\p{Graph}]", "?") + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (!kv.isEmpty()) {
                    int eq = kv.indexOf('=');
                    params.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
                }
            }
            rest = rest.substring(0, q);
        }
        String user = params.remove("user");
        String password = params.remove("password");
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CELLAR_SHARED: port is not a number in host '" + host + "'");
            }
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
        }
        if (database.isEmpty()) {
            database = user;
        }
        if (password == null) {
            password = env.get("PGPASSWORD");
        }
        if (password == null) {
            password = fromPgpass(env, host, port, database, user);
        }
        return new PgUrl(host, port, database, user, password, params);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code hostname:port:database:username:password}, {@code *} matching anything, first match wins. */
    private static String fromPgpass(Map<String, String> env, String host, int port, String db, String user) {
        String file = env.get("PGPASSFILE");
        Path p = file != null ? Path.of(file) : Path.of(System.getProperty("user.home"), ".pgpass");
        if (!Files.isReadable(p)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> f = fields(line);
                if (f.size() == 5 && matches(f.get(0), host) && matches(f.get(1), Integer.toString(port))
                        && matches(f.get(2), db) && matches(f.get(3), user)) {
                    return f.get(4);
                }
            }
        } catch (IOException e) {
            return null; // psql ignores an unreadable file too
        }
        return null;
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value)
                || (pattern.equals("localhost") && (value.equals("127.0.0.1") || value.equals("::1")));
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    String jdbcUrl() {
        StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
                .append(java.net.URLEncoder.encode(database, StandardCharsets.UTF_8));
        return b.toString();
    }

    Properties properties() {
        Properties p = new Properties();
        // an unreachable server must fail fast: the local tier keeps working meanwhile
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "300");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "cellar");
        params.forEach(p::setProperty);
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    String user() {
        return user;
    }

    /** The address without its password, for messages and {@code %cellar store}. */
    String masked() {
        String schema = params.containsKey("currentSchema") ? "?currentSchema=" + params.get("currentSchema") : "";
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database + schema;
    }

    /** {@code text} with the password (and its URL-encoded form) replaced by {@code ***}. */
    String scrub(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        String out = text.replace(password, "***");
        String encoded = java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
        return out.replace(encoded, "***");
    }
}
