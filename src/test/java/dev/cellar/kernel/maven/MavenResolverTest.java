package dev.cellar.kernel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution against a real file-based Maven repository made here, through a mirror declared in a
 * real settings.xml, into a fresh local repository: transitive, POM blocks, errors that name what
 * failed and where it was looked for.
 */
public class MavenResolverTest {
    @TempDir
    Path dir;

    /** Publishes group:artifact:version into {@code repo}, depending on {@code deps} (compile scope). */
    public static Path publish(Path repo, String g, String a, String v, String... deps) throws IOException {
        Path d = repo.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Files.createDirectories(d);
        StringBuilder pom = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0"
                + "</modelVersion><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v
                + "</version><dependencies>");
        for (String dep : deps) {
            String[] p = dep.split(":");
            pom.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(p[2]).append("</version></dependency>");
        }
        pom.append("</dependencies></project>");
        Files.writeString(d.resolve(a + "-" + v + ".pom"), pom);
        Path jar = d.resolve(a + "-" + v + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/maven/" + g + "/" + a + "/pom.properties"));
            out.write(("groupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry(a + ".txt"));
            out.write((a + " " + v).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private MavenResolver resolverMirroringTo(Path repo) throws Exception {
        Path settings = dir.resolve("settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>team-mirror</id><mirrorOf>*</mirrorOf><url>"
                + repo.toUri() + "</url></mirror></mirrors><servers><server><id>team-mirror</id><username>u</username>"
                + "<password>p</password></server></servers></settings>");
        return new MavenResolver(settings, null, dir.resolve("local"));
    }

    @Test
    void resolvesTransitivelyThroughTheSettingsMirrorIntoTheLocalRepository() throws Exception {
        Path repo = dir.resolve("remote");
        publish(repo, "org.example", "alpha", "1.0", "org.example:beta:2.0");
        publish(repo, "org.example", "beta", "2.0");
        try (MavenResolver r = resolverMirroringTo(repo)) {
            assertTrue(r.repositories().get(0).startsWith("team-mirror (file:"), r.repositories().toString());
            List<ResolvedJar> jars = r.resolve(List.of("org.example:alpha:1.0"));
            assertEquals(List.of("org.example:alpha:1.0", "org.example:beta:2.0"),
                    jars.stream().map(ResolvedJar::describe).toList());
            for (ResolvedJar j : jars) {
                assertTrue(j.file().startsWith(dir.resolve("local")), j.file().toString());
                assertTrue(Files.isRegularFile(j.file()));
            }
        }
    }

    @Test
    void anUnresolvableCoordinateIsNamedWithTheRepositoriesTried() throws Exception {
        Path repo = dir.resolve("remote");
        Files.createDirectories(repo);
        try (MavenResolver r = resolverMirroringTo(repo)) {
            MavenException e = assertThrows(MavenException.class, () -> r.resolve(List.of("org.example:nosuch:1.0")));
            assertTrue(e.getMessage().startsWith("cannot resolve org.example:nosuch:1.0"), e.getMessage());
            assertTrue(e.getMessage().contains("repositories tried: team-mirror (" + repo.toUri()), e.getMessage());
        }
    }

    @Test
    void malformedCoordinatesAndRepositoriesAreRefusedBeforeAnythingIsFetched() throws Exception {
        try (MavenResolver r = resolverMirroringTo(dir.resolve("remote"))) {
            MavenException e = assertThrows(MavenException.class, () -> r.resolve(List.of("xchart")));
            assertTrue(e.getMessage().contains("'xchart' is not a Maven coordinate"), e.getMessage());
            assertThrows(MavenException.class, () -> r.resolve(List.of("a:b:")));
            assertThrows(MavenException.class, () -> r.addRepository("x", "ftp://example.org/repo"));
            assertThrows(MavenException.class, () -> r.addRepository("bad id", "https://example.org/repo"));
        }
    }

    @Test
    void addedRepositoriesAreSearched() throws Exception {
        Path repo = dir.resolve("extra");
        publish(repo, "org.example", "gamma", "3.1");
        Path emptyCentral = Files.createDirectories(dir.resolve("central"));
        Files.writeString(dir.resolve("central-settings.xml"), "<settings><mirrors><mirror><id>c</id><mirrorOf>central"
                + "</mirrorOf><url>" + emptyCentral.toUri() + "</url></mirror></mirrors></settings>");
        try (MavenResolver r = new MavenResolver(dir.resolve("central-settings.xml"), null, dir.resolve("local"))) {
            r.addRepository("extra", repo.toUri().toString());
            assertTrue(r.repositories().contains("extra (" + repo.toUri() + ")"), r.repositories().toString());
            // Central (mirrored to an empty directory, so the test needs no network) is searched first;
            // the artifact only exists in the added repository.
            List<ResolvedJar> jars = r.resolvePom("<dependencies><dependency><groupId>org.example</groupId>"
                    + "<artifactId>gamma</artifactId><version>3.1</version></dependency></dependencies>");
            assertEquals("org.example:gamma:3.1", jars.get(0).describe());
        }
    }

    @Test
    void aPomBlockTakesPropertiesManagedVersionsExclusionsAndSkipsTests() throws Exception {
        Path repo = dir.resolve("remote");
        publish(repo, "org.example", "alpha", "1.0", "org.example:beta:2.0");
        publish(repo, "org.example", "beta", "2.0");
        publish(repo, "org.example", "delta", "4.0");
        try (MavenResolver r = resolverMirroringTo(repo)) {
            List<ResolvedJar> jars = r.resolvePom("""
                    <?xml version="1.0"?>
                    <project xmlns="http://maven.apache.org/POM/4.0.0">
                      <properties><alpha.version>1.0</alpha.version></properties>
                      <dependencyManagement><dependencies>
                        <dependency><groupId>org.example</groupId><artifactId>delta</artifactId><version>4.0</version></dependency>
                      </dependencies></dependencyManagement>
                      <dependencies>
                        <dependency><groupId>org.example</groupId><artifactId>alpha</artifactId>
                          <version>${alpha.version}</version>
                          <exclusions><exclusion><groupId>org.example</groupId><artifactId>beta</artifactId></exclusion></exclusions>
                        </dependency>
                        <dependency><groupId>org.example</groupId><artifactId>delta</artifactId></dependency>
                        <dependency><groupId>org.example</groupId><artifactId>nosuch</artifactId><version>9</version><scope>test</scope></dependency>
                      </dependencies>
                    </project>""");
            assertEquals(List.of("org.example:alpha:1.0", "org.example:delta:4.0"),
                    jars.stream().map(ResolvedJar::describe).toList());
            MavenException e = assertThrows(MavenException.class, () -> r.resolvePom("<dependencies><dependency>"
                    + "<groupId>org.example</groupId><artifactId>alpha</artifactId></dependency></dependencies>"));
            assertTrue(e.getMessage().contains("org.example:alpha has no <version>"), e.getMessage());
            assertThrows(MavenException.class, () -> r.resolvePom("<dependencies><dependency>"));
            MavenException dtd = assertThrows(MavenException.class, () -> r.resolvePom(
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><dependencies>&e;</dependencies>"));
            assertTrue(dtd.getMessage().contains("not well-formed"), dtd.getMessage());
        }
    }

    @Test
    void coordinatesOfJarsOnDiskAndConflictsWithTheKernelsOwnClassPath() throws Exception {
        Path repo = dir.resolve("remote");
        Path gson = publish(repo, "com.google.code.gson", "gson", "2.15.0");
        assertEquals("com.google.code.gson:gson:2.15.0", JarCoordinates.identify(gson).describe());
        Path loose = dir.resolve("commons-math3-3.6.1.jar");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(loose))) {
            out.flush();
        }
        ResolvedJar math = JarCoordinates.identify(loose);
        assertEquals("commons-math3", math.artifactId());
        assertEquals("3.6.1", math.version());

        KernelClassPath kernel = new KernelClassPath(List.of(gson));
        assertEquals("2.15.0", kernel.versionOf("com.google.code.gson", "gson"));
        List<String> conflicts = kernel.conflicts(List.of(
                new ResolvedJar("com.google.code.gson", "gson", "2.10.1", dir.resolve("gson-2.10.1.jar")),
                new ResolvedJar("com.google.code.gson", "gson", "2.15.0", gson),
                new ResolvedJar("org.example", "alpha", "1.0", dir.resolve("alpha-1.0.jar"))));
        assertEquals(List.of("com.google.code.gson:gson:2.10.1 requested, but the kernel's own 2.15.0 is loaded first"),
                conflicts);
    }
}
