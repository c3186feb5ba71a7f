package dev.cellar.kernel.maven;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Reads the parts of a POM a notebook needs: its dependencies (with versions from its own
 * {@code <dependencyManagement>} and {@code ${property}} references from {@code <properties>}) and
 * its repositories. Also takes a fragment, such as a bare {@code <dependencies>} block or a few
 * {@code <dependency>} elements. The XML parser refuses DTDs, so a POM cannot make it read files or
 * URLs. Parents and imported BOMs are not followed.
 */
final class PomReader {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** One {@code <dependency>}; {@code exclusions} as {@code group:artifact} (either may be {@code *}). */
    record Dependency(String groupId, String artifactId, String version, String type, String classifier,
            String scope, boolean optional, List<String> exclusions) {
        String coordinate() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    record Repository(String id, String url) {}

    record Pom(List<Dependency> dependencies, List<Repository> repositories) {}

    private PomReader() {
    }

    static Pom read(String text) throws MavenException {
        String xml = text.strip();
        if (xml.isEmpty()) {
            throw new MavenException("%%loadFromPOM: the cell is empty; give a POM or a <dependencies> block");
        }
        if (xml.startsWith("<?xml")) {
            int end = xml.indexOf("?>");
            xml = end < 0 ? xml : xml.substring(end + 2).strip();
        }
        if (!xml.startsWith("<project")) {
            xml = "<project>" + xml + "</project>";
        }
        Element project = parse(xml).getDocumentElement();
        Map<String, String> props = new HashMap<>();
        Element properties = child(project, "properties");
        if (properties != null) {
            for (Element p : children(properties, null)) {
                props.put(p.getLocalName() != null ? p.getLocalName() : p.getTagName(), p.getTextContent().strip());
            }
        }
        putIfPresent(props, "project.groupId", text(project, "groupId"));
        putIfPresent(props, "project.version", text(project, "version"));
        Map<String, String> managed = new HashMap<>();
        Element dm = child(project, "dependencyManagement");
        Element dmDeps = dm == null ? null : child(dm, "dependencies");
        if (dmDeps != null) {
            for (Element d : children(dmDeps, "dependency")) {
                managed.put(interpolate(text(d, "groupId"), props) + ":" + interpolate(text(d, "artifactId"), props),
                        interpolate(text(d, "version"), props));
            }
        }
        List<Element> depElements = new ArrayList<>();
        Element deps = child(project, "dependencies");
        if (deps != null) {
            depElements.addAll(children(deps, "dependency"));
        }
        depElements.addAll(children(project, "dependency"));
        List<Dependency> out = new ArrayList<>();
        for (Element d : depElements) {
            out.add(dependency(d, props, managed));
        }
        List<Repository> repos = new ArrayList<>();
        Element rs = child(project, "repositories");
        if (rs != null) {
            for (Element r : children(rs, "repository")) {
                String id = interpolate(text(r, "id"), props);
                String url = interpolate(text(r, "url"), props);
                if (id == null || url == null) {
                    throw new MavenException("%%loadFromPOM: a <repository> needs an <id> and a <url>");
                }
                repos.add(new Repository(id, url));
            }
        }
        if (out.isEmpty()) {
            throw new MavenException("%%loadFromPOM: the POM declares no <dependency>");
        }
        return new Pom(out, repos);
    }

    private static Dependency dependency(Element d, Map<String, String> props, Map<String, String> managed)
            throws MavenException {
        String g = interpolate(text(d, "groupId"), props);
        String a = interpolate(text(d, "artifactId"), props);
        if (g == null || a == null) {
            throw new MavenException("%%loadFromPOM: a <dependency> needs a <groupId> and an <artifactId>");
        }
        String v = interpolate(text(d, "version"), props);
        if (v == null) {
            v = managed.get(g + ":" + a);
        }
        if (v == null) {
            throw new MavenException("%%loadFromPOM: " + g + ":" + a + " has no <version> (and none in the POM's "
                    + "<dependencyManagement>; parents and BOMs are not read)");
        }
        if (v.contains("${")) {
            throw new MavenException("%%loadFromPOM: " + g + ":" + a + ": unknown property in version '" + v + "'");
        }
        List<String> exclusions = new ArrayList<>();
        Element ex = child(d, "exclusions");
        if (ex != null) {
            for (Element e : children(ex, "exclusion")) {
                exclusions.add(interpolate(text(e, "groupId"), props) + ":" + interpolate(text(e, "artifactId"), props));
            }
        }
        String type = interpolate(text(d, "type"), props);
        String scope = interpolate(text(d, "scope"), props);
        return new Dependency(g, a, v, type == null ? "jar" : type, interpolate(text(d, "classifier"), props),
                scope == null ? "compile" : scope, "true".equals(text(d, "optional")), exclusions);
    }

    /** The groupId a POM declares, or the one it inherits from its parent; null if neither. */
    static String groupOf(String pom) {
        try {
            Element project = parse(pom.strip().replaceFirst("^<\\?xml[^>]*\\?>", "").strip()).getDocumentElement();
            String g = text(project, "groupId");
            Element parent = child(project, "parent");
            return g != null ? g : parent == null ? null : text(parent, "groupId");
        } catch (MavenException e) {
            return null;
        }
    }

    private static Document parse(String xml) throws MavenException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new MavenException("%%loadFromPOM: not well-formed XML: " + e.getMessage());
        }
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.putIfAbsent(k, v);
        }
    }

    private static String interpolate(String s, Map<String, String> props) {
        if (s == null) {
            return null;
        }
        Matcher m = PROPERTY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = props.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        if (c == null) {
            return null;
        }
        String t = c.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    private static Element child(Element parent, String name) {
        List<Element> cs = children(parent, name);
        return cs.isEmpty() ? null : cs.get(0);
    }

    /** Direct child elements named {@code name} (any name if null), with or without the POM namespace. */
    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                String local = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
                if (name == null || name.equals(local)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
