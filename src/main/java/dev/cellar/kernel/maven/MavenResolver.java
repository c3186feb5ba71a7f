package dev.cellar.kernel.maven;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * Resolves Maven coordinates to jars, transitively (compile and runtime scope), as Maven itself would
 * for a project depending on them: same local repository, same mirrors, proxies and server
 * credentials from {@code settings.xml}, Maven Central plus the repositories of active profiles and
 * those added with {@link #addRepository}. Not thread-safe; one per kernel session.
 */
public final class MavenResolver implements AutoCloseable {
    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private final RepositorySystem system;
    private final RepositorySystemSession.CloseableSession session;
    private final Path localRepository;
    /** Repositories by id, in the order they are searched; Maven Central first. */
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();

    /** Reads {@code ~/.m2/settings.xml} (and {@code $MAVEN_HOME/conf/settings.xml}) if present. */
    public static MavenResolver fromUserSettings() throws MavenException {
        Path home = Path.of(System.getProperty("user.home"));
        String mavenHome = System.getenv("MAVEN_HOME");
        return new MavenResolver(home.resolve(".m2/settings.xml"),
                mavenHome == null ? null : Path.of(mavenHome, "conf", "settings.xml"), null);
    }

    /**
     * @param userSettings a settings.xml (need not exist)
     * @param globalSettings the installation's settings.xml, or null
     * @param localRepository overrides the settings' local repository (tests), or null
     * @throws MavenException if a settings file exists but cannot be read
     */
    public MavenResolver(Path userSettings, Path globalSettings, Path localRepository) throws MavenException {
        Settings settings = settings(userSettings, globalSettings);
        Path home = Path.of(System.getProperty("user.home"));
        this.localRepository = localRepository != null ? localRepository
                : settings.getLocalRepository() != null && !settings.getLocalRepository().isBlank()
                        ? Path.of(settings.getLocalRepository().replace("${user.home}", home.toString()))
                        : home.resolve(".m2/repository");
        this.system = new RepositorySystemSupplier().get();
        RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(this.localRepository)
                .setOffline(settings.isOffline())
                .setMirrorSelector(mirrors(settings))
                .setProxySelector(proxies(settings))
                .setAuthenticationSelector(credentials(settings))
                .setSystemProperties(System.getProperties());
        this.session = builder.build();
        repositories.put("central", new RemoteRepository.Builder("central", "default", CENTRAL_URL).build());
        List<String> active = settings.getActiveProfiles();
        for (Profile p : settings.getProfiles()) {
            boolean on = active.contains(p.getId())
                    || (p.getActivation() != null && p.getActivation().isActiveByDefault());
            if (on) {
                for (org.apache.maven.settings.Repository r : p.getRepositories()) {
                    repositories.put(r.getId(), new RemoteRepository.Builder(r.getId(), "default", r.getUrl()).build());
                }
            }
        }
    }

    /** The local repository jars are downloaded to (and found in first). */
    public Path localRepository() {
        return localRepository;
    }

    /**
     * Adds a repository searched after the ones before it; replaces one of the same id.
     *
     * @throws MavenException if the id is empty or the URL is not an http, https or file URL
     */
    public void addRepository(String id, String url) throws MavenException {
        if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
            throw new MavenException("repository id '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new MavenException("repository URL '" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new MavenException("repository URL '" + url + "' must start with https://, http:// or file:");
        }
        repositories.put(id, new RemoteRepository.Builder(id, "default", url).build());
    }

    /** The repositories searched, as "id (url)", after mirrors are applied. */
    public List<String> repositories() {
        return effective().stream().map(r -> r.getId() + " (" + r.getUrl() + ")").collect(Collectors.toList());
    }

    /**
     * Resolves {@code group:artifact:version} coordinates (also {@code group:artifact:extension:version}
     * and {@code group:artifact:extension:classifier:version}) and everything they need at run time.
     *
     * @return the jars, each artifact once, in resolution order
     * @throws MavenException naming a malformed coordinate, or the coordinates that could not be
     *     resolved and the repositories that were tried
     */
    public List<ResolvedJar> resolve(List<String> coordinates) throws MavenException {
        if (coordinates.isEmpty()) {
            throw new MavenException("no coordinates given");
        }
        List<Dependency> roots = new ArrayList<>();
        for (String c : coordinates) {
            roots.add(new Dependency(artifact(c), "runtime"));
        }
        return resolveDependencies(roots, coordinates);
    }

    /**
     * Resolves the dependencies of a POM (or a {@code <dependencies>} block), adding the repositories it
     * declares first. Test-scoped dependencies are left out.
     */
    public List<ResolvedJar> resolvePom(String pomText) throws MavenException {
        PomReader.Pom pom = PomReader.read(pomText);
        for (PomReader.Repository r : pom.repositories()) {
            addRepository(r.id(), r.url());
        }
        List<Dependency> roots = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (PomReader.Dependency d : pom.dependencies()) {
            if (d.scope().equals("test") || d.scope().equals("import")) {
                continue;
            }
            String coordinate = d.groupId() + ":" + d.artifactId() + ":" + (d.type().equals("jar") ? "" : d.type() + ":")
                    + (d.classifier() == null ? "" : (d.type().equals("jar") ? "jar:" : "") + d.classifier() + ":")
                    + d.version();
            List<Exclusion> exclusions = new ArrayList<>();
            for (String e : d.exclusions()) {
                String[] ga = e.split(":", 2);
                exclusions.add(new Exclusion(ga[0], ga.length > 1 ? ga[1] : "*", "*", "*"));
            }
            roots.add(new Dependency(artifact(coordinate), "runtime", d.optional(), exclusions));
            names.add(d.coordinate());
        }
        if (roots.isEmpty()) {
            throw new MavenException("%%loadFromPOM: every dependency of the POM is test-scoped; nothing to add");
        }
        return resolveDependencies(roots, names);
    }

    private List<ResolvedJar> resolveDependencies(List<Dependency> roots, List<String> names) throws MavenException {
        CollectRequest collect = new CollectRequest(roots, List.of(), effective());
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime"));
        List<ArtifactResult> results;
        try {
            results = system.resolveDependencies(session, request).getArtifactResults();
        } catch (DependencyResolutionException e) {
            throw new MavenException("cannot resolve " + String.join(", ", names) + ": " + reason(e)
                    + "\nrepositories tried: " + String.join(", ", repositories())
                    + "\nlocal repository: " + localRepository);
        } catch (RuntimeException e) {
            throw new MavenException("cannot resolve " + String.join(", ", names) + ": " + e
                    + "\nrepositories tried: " + String.join(", ", repositories()));
        }
        List<ResolvedJar> jars = new ArrayList<>();
        for (ArtifactResult r : results) {
            Artifact a = r.getArtifact();
            if (a != null && a.getPath() != null) {
                jars.add(new ResolvedJar(a.getGroupId(), a.getArtifactId(), a.getBaseVersion(), a.getPath()));
            }
        }
        return jars;
    }

    /** The innermost distinct messages of a failure: resolver errors nest the useful part deep. */
    private static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getCause() == null) {
                parts.add(t.getMessage());
            }
        }
        if (e instanceof DependencyResolutionException dre && dre.getResult() != null) {
            for (ArtifactResult r : dre.getResult().getArtifactResults()) {
                r.getExceptions().forEach(x -> {
                    if (x.getMessage() != null && !parts.contains(x.getMessage())) {
                        parts.add(x.getMessage());
                    }
                });
            }
            dre.getResult().getCollectExceptions().forEach(x -> {
                if (x.getMessage() != null && !parts.contains(x.getMessage())) {
                    parts.add(x.getMessage());
                }
            });
        }
        return parts.isEmpty() ? String.valueOf(e.getMessage()) : String.join("; ", parts);
    }

    private static Artifact artifact(String coordinate) throws MavenException {
        String c = coordinate.strip();
        String[] parts = c.split(":", -1);
        boolean ok = parts.length >= 3 && parts.length <= 5;
        for (String p : parts) {
            ok &= !p.isBlank() && !p.contains(" ");
        }
        if (!ok) {
            throw new MavenException("'" + coordinate + "' is not a Maven coordinate: expected group:artifact:version"
                    + " (or group:artifact:extension[:classifier]:version)");
        }
        try {
            return new DefaultArtifact(c);
        } catch (IllegalArgumentException e) {
            throw new MavenException("'" + coordinate + "' is not a Maven coordinate: " + e.getMessage());
        }
    }

    private List<RemoteRepository> effectiveForRequest() {
        return new ArrayList<>(repositories.values());
    }

    /** The repositories after the session's mirrors (and their proxies and credentials) are applied. */
    private List<RemoteRepository> effective() {
        return system.newResolutionRepositories(session, effectiveForRequest());
    }

    private static Settings settings(Path user, Path global) throws MavenException {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        if (user != null && Files.isRegularFile(user)) {
            request.setUserSettingsFile(user.toFile());
        }
        if (global != null && Files.isRegularFile(global)) {
            request.setGlobalSettingsFile(global.toFile());
        }
        request.setSystemProperties(System.getProperties());
        try {
            return new DefaultSettingsBuilderFactory().newInstance().build(request).getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new MavenException("cannot read Maven settings " + user + ": " + e.getMessage());
        }
    }

    private static DefaultMirrorSelector mirrors(Settings settings) {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            selector.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(),
                    m.getMirrorOfLayouts());
        }
        return selector;
    }

    private static DefaultProxySelector proxies(Settings settings) {
        DefaultProxySelector selector = new DefaultProxySelector();
        for (org.apache.maven.settings.Proxy p : settings.getProxies()) {
            if (!p.isActive()) {
                continue;
            }
            AuthenticationBuilder auth = new AuthenticationBuilder();
            if (p.getUsername() != null) {
                auth.addUsername(p.getUsername()).addPassword(p.getPassword());
            }
            selector.add(new Proxy(p.getProtocol(), p.getHost(), p.getPort(), auth.build()), p.getNonProxyHosts());
        }
        return selector;
    }

    /** Server credentials by repository or mirror id. Encrypted ({@code {...}}) passwords are not decrypted. */
    private static DefaultAuthenticationSelector credentials(Settings settings) {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            AuthenticationBuilder auth = new AuthenticationBuilder();
            if (s.getUsername() != null) {
                auth.addUsername(s.getUsername()).addPassword(s.getPassword());
            }
            if (s.getPrivateKey() != null) {
                auth.addPrivateKey(s.getPrivateKey(), s.getPassphrase());
            }
            selector.add(s.getId(), auth.build());
        }
        return selector;
    }

    @Override
    public void close() {
        session.close();
        system.shutdown();
    }

    static String pathList(List<ResolvedJar> jars) {
        return jars.stream().map(j -> j.file().toString()).collect(Collectors.joining(File.pathSeparator));
    }
}
