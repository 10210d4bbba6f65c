import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks what a release build ({@code ./mvnw -Prelease -Dgpg.skip -DskipTests verify}) left in the
 * modules' {@code target/} folders against what Maven Central requires and what this project promises:
 *
 * <ul>
 *   <li>every published POM (the parent and each module whose deploy is not skipped) has name,
 *       description, url, licenses, developers and scm, itself or inherited from the parent;</li>
 *   <li>every unpublished module skips deploy and is in the central-publishing plugin's
 *       {@code excludeArtifacts}, and no published module depends on it outside test scope;</li>
 *   <li>every published jar module has its jar, a {@code -sources.jar} with sources and a
 *       {@code -javadoc.jar} with an {@code index.html}, and no test-jar;</li>
 *   <li>every jar (the runnable {@code pointclip.jar} too) carries the project's LICENSE and NOTICE
 *       and {@code Implementation-Version} equal to the project version;</li>
 *   <li>{@code pointclip.jar} lists every bundled third-party artifact in
 *       {@code META-INF/THIRD-PARTY.txt} and prints the version for {@code --version}.</li>
 * </ul>
 *
 * Needs only the JDK: {@code java .ci/CheckRelease.java [repository root]}. Exits 1 on any failure.
 */
public final class CheckRelease {

    private static final String POM_NS = "http://maven.apache.org/POM/4.0.0";
    private static final List<String> REQUIRED_POM_FIELDS =
        List.of("name", "description", "url", "licenses", "developers", "scm");

    private final Path root;
    private final List<String> failures = new ArrayList<>();
    private int checks;

    private CheckRelease(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        CheckRelease check = new CheckRelease(root);
        check.run();
        if (!check.failures.isEmpty()) {
            System.out.println("release check FAILED (" + check.failures.size() + " of " + check.checks + " checks):");
            check.failures.forEach(f -> System.out.println("  - " + f));
            System.exit(1);
        }
        System.out.println("release check OK (" + check.checks + " checks)");
    }

    private void check(boolean ok, String what) {
        checks++;
        if (!ok) {
            failures.add(what);
        }
    }

    private void run() throws Exception {
        Element parent = parse(root.resolve("pom.xml"));
        String version = text(parent, "version");
        String parentId = text(parent, "artifactId");
        Set<String> excluded = new TreeSet<>();
        for (Element profile : descendants(parent, "profile")) {
            if ("release".equals(text(profile, "id"))) {
                for (Element artifact : descendants(profile, "artifact")) {
                    if ("excludeArtifacts".equals(artifact.getParentNode().getLocalName())) {
                        excluded.add(artifact.getTextContent().strip());
                    }
                }
            }
        }
        check(!version.isEmpty(), "pom.xml: no <version>");
        checkPomFields(parentId, parent, null);

        Map<String, Element> modules = new LinkedHashMap<>();
        for (Element module : descendants(child(parent, "modules"), "module")) {
            String dir = module.getTextContent().strip();
            modules.put(dir, parse(root.resolve(dir).resolve("pom.xml")));
        }
        Set<String> unpublished = new TreeSet<>();
        for (Element pom : modules.values()) {
            Element props = child(pom, "properties");
            if (props != null && "true".equals(text(props, "maven.deploy.skip"))) {
                unpublished.add(text(pom, "artifactId"));
            }
        }
        check(unpublished.equals(excluded), "modules that skip deploy " + unpublished
            + " differ from the central-publishing excludeArtifacts " + excluded);

        int published = 0;
        for (Map.Entry<String, Element> e : modules.entrySet()) {
            Element pom = e.getValue();
            String artifactId = text(pom, "artifactId");
            if (unpublished.contains(artifactId)) {
                continue;
            }
            published++;
            check(parentId.equals(text(child(pom, "parent"), "artifactId")),
                artifactId + ": parent is not " + parentId);
            checkPomFields(artifactId, pom, parent);
            for (Element dep : descendants(child(pom, "dependencies"), "dependency")) {
                String scope = text(dep, "scope");
                check(!unpublished.contains(text(dep, "artifactId")) || "test".equals(scope),
                    artifactId + ": depends on unpublished " + text(dep, "artifactId") + " outside test scope");
                check(!"test-jar".equals(text(dep, "type")), artifactId + ": depends on a test-jar");
            }
            String packaging = text(pom, "packaging");
            if (packaging.isEmpty() || "jar".equals(packaging)) {
                checkJarModule(root.resolve(e.getKey()).resolve("target"), artifactId, version);
            }
        }
        check(published > 0, "no published modules found");

        Path cli = root.resolve("pointclip-cli/target/pointclip.jar");
        check(Files.isRegularFile(cli), "pointclip-cli/target/pointclip.jar missing");
        if (Files.isRegularFile(cli)) {
            checkJar(cli, version);
            checkThirdParty(cli);
            checkVersionOption(cli, version);
        }
    }

    private void checkPomFields(String artifactId, Element pom, Element parent) {
        for (String field : REQUIRED_POM_FIELDS) {
            Element own = child(pom, field);
            Element inherited = parent == null ? null : child(parent, field);
            boolean ok = (own != null && !own.getTextContent().isBlank())
                || (inherited != null && !inherited.getTextContent().isBlank());
            check(ok, artifactId + ": POM has no <" + field + "> (Maven Central requires it)");
        }
        Element licenses = child(pom, "licenses") != null ? child(pom, "licenses") : child(parent, "licenses");
        if (licenses != null) {
            for (Element license : descendants(licenses, "license")) {
                check(!text(license, "name").isEmpty() && !text(license, "url").isEmpty(),
                    artifactId + ": a <license> without name or url");
            }
        }
        Element developers = child(pom, "developers") != null ? child(pom, "developers") : child(parent, "developers");
        if (developers != null) {
            for (Element developer : descendants(developers, "developer")) {
                check(!text(developer, "name").isEmpty(), artifactId + ": a <developer> without a name");
            }
        }
        Element scm = child(pom, "scm") != null ? child(pom, "scm") : child(parent, "scm");
        if (scm != null) {
            check(!text(scm, "url").isEmpty() && !text(scm, "connection").isEmpty(),
                artifactId + ": <scm> without url or connection");
        }
    }

    private void checkJarModule(Path target, String artifactId, String version) throws IOException {
        String base = artifactId + "-" + version;
        Path main = target.resolve(base + ".jar");
        Path sources = target.resolve(base + "-sources.jar");
        Path javadoc = target.resolve(base + "-javadoc.jar");
        for (Path jar : List.of(main, sources, javadoc)) {
            check(Files.isRegularFile(jar) && Files.size(jar) > 0, artifactId + ": " + jar.getFileName() + " missing or empty");
            if (Files.isRegularFile(jar)) {
                checkJar(jar, version);
            }
        }
        if (Files.isRegularFile(sources)) {
            check(entries(sources).stream().anyMatch(n -> n.endsWith(".java")),
                artifactId + ": " + sources.getFileName() + " holds no .java file");
        }
        if (Files.isRegularFile(javadoc)) {
            check(entries(javadoc).stream().anyMatch(n -> n.endsWith("index.html")),
                artifactId + ": " + javadoc.getFileName() + " holds no index.html");
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                List<String> testJars = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".*-tests?(-sources|-javadoc)?\\.jar"))
                    .collect(Collectors.toList());
                check(testJars.isEmpty(), artifactId + ": test-jars would be published: " + testJars);
            }
        }
    }

    private void checkJar(Path jar, String version) throws IOException {
        String name = root.relativize(jar).toString();
        byte[] license = Files.readAllBytes(root.resolve("LICENSE"));
        byte[] notice = Files.readAllBytes(root.resolve("NOTICE"));
        try (JarFile file = new JarFile(jar.toFile())) {
            check(Arrays.equals(license, read(file, "META-INF/LICENSE")), name + ": META-INF/LICENSE missing or not the project's");
            check(Arrays.equals(notice, read(file, "META-INF/NOTICE")), name + ": META-INF/NOTICE missing or not the project's");
            Manifest manifest = file.getManifest();
            String implementation = manifest == null ? null
                : manifest.getMainAttributes().getValue("Implementation-Version");
            check(version.equals(implementation),
                name + ": manifest Implementation-Version is " + implementation + ", not " + version);
        }
    }

    /** Every third-party artifact bundled in the shaded jar (its pom.properties) must be in THIRD-PARTY.txt. */
    private void checkThirdParty(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            byte[] list = read(file, "META-INF/THIRD-PARTY.txt");
            check(list != null, "pointclip.jar: META-INF/THIRD-PARTY.txt missing");
            String text = list == null ? "" : new String(list, StandardCharsets.UTF_8);
            int bundled = 0;
            for (Enumeration<JarEntry> en = file.entries(); en.hasMoreElements();) {
                JarEntry entry = en.nextElement();
                if (!entry.getName().startsWith("META-INF/maven/") || !entry.getName().endsWith("/pom.properties")) {
                    continue;
                }
                Properties p = new Properties();
                try (InputStream in = file.getInputStream(entry)) {
                    p.load(in);
                }
                String g = p.getProperty("groupId"), a = p.getProperty("artifactId"), v = p.getProperty("version");
                if (g == null || g.equals("io.github.pointclip")) {
                    continue;
                }
                bundled++;
                check(text.contains("(" + g + ":" + a + ":" + v + " "),
                    "pointclip.jar: bundled " + g + ":" + a + ":" + v + " is not listed in META-INF/THIRD-PARTY.txt");
            }
            check(bundled > 0, "pointclip.jar: no bundled third-party pom.properties found");
            check(file.stream().anyMatch(e -> e.getName().startsWith("META-INF/third-party/") && !e.isDirectory()),
                "pointclip.jar: META-INF/third-party/ holds no licence file");
        }
    }

    private void checkVersionOption(Path jar, String version) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--version")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        check(done && p.exitValue() == 0 && out.equals("pointclip " + version),
            "java -jar pointclip.jar --version printed '" + out + "', expected 'pointclip " + version + "'");
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).collect(Collectors.toList());
        }
    }

    private static byte[] read(JarFile file, String name) throws IOException {
        JarEntry entry = file.getJarEntry(name);
        if (entry == null) {
            return null;
        }
        try (InputStream in = file.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static Element parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(pom.toFile());
        return doc.getDocumentElement();
    }

    /** The direct child element with this name, or null. */
    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && name.equals(el.getLocalName()) && POM_NS.equals(el.getNamespaceURI())) {
                return el;
            }
        }
        return null;
    }

    /** The direct child's text, stripped, or "" when absent. */
    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? "" : c.getTextContent().strip();
    }

    private static List<Element> descendants(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            NodeList list = parent.getElementsByTagNameNS(POM_NS, name);
            for (int i = 0; i < list.getLength(); i++) {
                out.add((Element) list.item(i));
            }
        }
        return out;
    }
}
