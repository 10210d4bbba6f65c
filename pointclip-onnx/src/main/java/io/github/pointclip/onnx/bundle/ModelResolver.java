package io.github.pointclip.onnx.bundle;

import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the model bundle to use. In order:
 * <ol>
 *   <li>the explicit path given to {@link Builder#modelPath};</li>
 *   <li>the system property {@value #MODEL_PROPERTY}, then the environment variable {@value #MODEL_ENV}
 *       (a directory);</li>
 *   <li>the cache: {@code <cache>/models/<name>}, where the cache is {@link Builder#cacheDir}, else
 *       {@value #CACHE_PROPERTY}, else {@value #CACHE_ENV}, else {@code ~/.cache/pointclip}, and the name is
 *       {@link Builder#modelName}, else {@value #NAME_PROPERTY}, else {@value #NAME_ENV} ({@code /} becomes
 *       {@code -}, so {@code ViT-B/16} is stored as {@code ViT-B-16});</li>
 *   <li>a download into the cache from the {@link RemoteManifest} at {@link Builder#remoteManifest}, else
 *       {@value #URL_PROPERTY}, else {@value #URL_ENV}; without a manifest, when the name is in the
 *       {@link ModelCatalog}, from the Hugging Face hub at {@link Builder#hubUrl}, else
 *       {@value HuggingFaceHub#URL_PROPERTY}, else {@value HuggingFaceHub#URL_ENV}, else {@code https://huggingface.co}.
 *       The files go to a staging directory {@code .<name>.download} (an interrupted download is resumed from there
 *       by the next one), each is verified against its SHA-256 (pinned in the catalogue, else reported by the hub,
 *       else computed on arrival and recorded in {@value DownloadRecord#FILE_NAME}, which later loads check), then
 *       the directory is renamed into place, so a cache entry that exists is complete;</li>
 * </ol>
 * With a {@link Builder#dtype dtype} other than {@code fp32}, the cache entry is {@code <name>-<dtype>} (e.g.
 * {@code ViT-B-16-fp16}) and the Hugging Face layout is read with that variant.
 * otherwise a {@link ModelNotFoundException} lists every step and why it did not apply. A path that is
 * configured but does not exist is an error at once rather than a reason to look further, so that a typo
 * does not silently pick another model. Offline mode ({@link Builder#offline}, else {@value #OFFLINE_PROPERTY}
 * {@code =true}, else {@value #OFFLINE_ENV} {@code =1}/{@code true}/{@code yes}) skips the download and never
 * opens a connection. Settings are read when {@link #resolvePath()} runs, not at class load. Immutable.
 */
public final class ModelResolver {

    /** System property with the bundle directory. */
    public static final String MODEL_PROPERTY = "pointclip.model";
    /** Environment variable with the bundle directory. */
    public static final String MODEL_ENV = "POINTCLIP_MODEL";
    /** System property with the cache directory. */
    public static final String CACHE_PROPERTY = "pointclip.cache";
    /** Environment variable with the cache directory. */
    public static final String CACHE_ENV = "POINTCLIP_CACHE";
    /** System property with the model name (cache entry and download). */
    public static final String NAME_PROPERTY = "pointclip.model.name";
    /** Environment variable with the model name. */
    public static final String NAME_ENV = "POINTCLIP_MODEL_NAME";
    /** System property with the remote manifest URL. */
    public static final String URL_PROPERTY = "pointclip.model.url";
    /** Environment variable with the remote manifest URL. */
    public static final String URL_ENV = "POINTCLIP_MODEL_URL";
    /** System property that, when {@code true}, forbids network access. */
    public static final String OFFLINE_PROPERTY = "pointclip.offline";
    /** Environment variable that, when {@code 1}, {@code true} or {@code yes}, forbids network access. */
    public static final String OFFLINE_ENV = "POINTCLIP_OFFLINE";

    private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_+@=-][A-Za-z0-9._+@=-]*");

    private final Path modelPath;
    private final String modelName;
    private final Path cacheDir;
    private final URI remoteManifest;
    private final Boolean offline;
    private final ModelVariant dtype;
    private final URI hubUrl;
    private final Downloader downloader;
    private final DownloadListener listener;
    private final BundleOptions bundleOptions;
    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    private ModelResolver(Builder b) {
        this.modelPath = b.modelPath;
        this.modelName = b.modelName;
        this.cacheDir = b.cacheDir;
        this.remoteManifest = b.remoteManifest;
        this.offline = b.offline;
        this.dtype = b.dtype;
        this.hubUrl = b.hubUrl;
        this.downloader = b.downloader;
        this.listener = b.listener;
        this.bundleOptions = b.bundleOptions;
        this.properties = b.properties;
        this.environment = b.environment;
    }

    /** @return a builder; every setting is optional */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resolves the bundle directory and detects its layout.
     *
     * @return the bundle
     * @throws ModelNotFoundException listing what was tried, when no step found a bundle
     * @throws BundleException when a configured path does not exist or the bundle is unusable
     * @throws DownloadException or {@link ChecksumMismatchException} when the download fails
     * @throws IOException on other file-system errors
     */
    public ModelBundle resolve() throws IOException {
        return ModelBundle.detect(resolvePath().directory(), effectiveOptions());
    }

    /** @return the bundle options, with the dtype as the variant when one was set */
    private BundleOptions effectiveOptions() {
        if (dtype == null || bundleOptions.variant() == dtype) {
            return bundleOptions;
        }
        if (bundleOptions.variant() != ModelVariant.DEFAULT) {
            throw new IllegalArgumentException("dtype " + dtype.dtype() + " contradicts the variant "
                + bundleOptions.variant().dtype() + " in the bundle options");
        }
        return bundleOptions.withVariant(dtype);
    }

    /**
     * Resolves the bundle directory without looking inside it.
     *
     * @return the directory and where it came from
     * @throws ModelNotFoundException listing what was tried, when no step found a bundle
     * @throws BundleException when a configured path does not exist
     * @throws DownloadException or {@link ChecksumMismatchException} when the download fails
     * @throws IOException on other file-system errors
     */
    public ResolvedModel resolvePath() throws IOException {
        List<String> attempts = new ArrayList<>();
        if (modelPath != null) {
            return existing(modelPath, ModelSource.EXPLICIT, "explicit model path");
        }
        attempts.add("explicit path: not set (.model(Path) in the API, --model DIR on the command line)");
        String fromProperty = setting(properties, MODEL_PROPERTY);
        if (fromProperty != null) {
            return existing(Path.of(fromProperty), ModelSource.SYSTEM_PROPERTY, "system property " + MODEL_PROPERTY);
        }
        attempts.add("system property " + MODEL_PROPERTY + ": not set");
        String fromEnv = setting(environment, MODEL_ENV);
        if (fromEnv != null) {
            return existing(Path.of(fromEnv), ModelSource.ENVIRONMENT, "environment variable " + MODEL_ENV);
        }
        attempts.add("environment variable " + MODEL_ENV + ": not set");

        String given = modelName != null ? modelName : first(setting(properties, NAME_PROPERTY), setting(environment, NAME_ENV));
        // a catalogue model has one cache entry whichever way its name is spelled (VIT_B16, vit-b-16, ViT-B/16)
        String name = ModelCatalog.find(given).map(ModelCatalog.Entry::name).orElse(given);
        Path cache = cacheRoot();
        Path entry = null;
        if (name == null) {
            attempts.add("cache " + cache + ": no model name set (.backbone(...) in the API, --backbone on the command"
                + " line, " + NAME_PROPERTY + " or " + NAME_ENV + ")");
        } else {
            entry = cache.resolve("models").resolve(directoryName(name, dtype));
            if (Files.isDirectory(entry)) {
                LOG.debug("model {} found in the cache: {}", name, entry);
                Optional<DownloadRecord> record = DownloadRecord.read(entry);
                if (record.isPresent()) {
                    record.get().check(entry);
                }
                return new ResolvedModel(entry, ModelSource.CACHE);
            }
            attempts.add("cache: " + entry + " does not exist");
        }

        String offlineBy = offlineReason();
        URI url = remoteManifest != null ? remoteManifest : uri(first(setting(properties, URL_PROPERTY), setting(environment, URL_ENV)));
        if (offlineBy != null) {
            attempts.add("download: skipped, offline mode (" + offlineBy + ")");
        } else if (entry == null) {
            attempts.add("download: no model name set, so nothing to download (the catalogue has " + ModelCatalog.names()
                + ")");
        } else if (url != null) {
            return new ResolvedModel(download(url, entry), ModelSource.DOWNLOAD);
        } else if (ModelCatalog.find(name).isPresent()) {
            return new ResolvedModel(downloadFromHub(ModelCatalog.find(name).get(), entry), ModelSource.DOWNLOAD);
        } else {
            attempts.add("download: '" + name + "' is not in the model catalogue (" + ModelCatalog.names()
                + ") and no remote manifest URL is set (" + URL_PROPERTY + " or " + URL_ENV + ")");
        }
        throw new ModelNotFoundException(attempts);
    }

    private static ResolvedModel existing(Path dir, ModelSource source, String what) throws BundleException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new BundleException(abs, "the " + what + " names " + (Files.exists(abs) ? "a file, not a directory"
                : "a directory that does not exist"));
        }
        LOG.debug("model bundle from the {}: {}", what, abs);
        return new ResolvedModel(abs, source);
    }

    /** @return the cache directory this resolver uses */
    public Path cacheRoot() {
        if (cacheDir != null) {
            return cacheDir.toAbsolutePath().normalize();
        }
        return CacheDirectory.root(properties, environment);
    }

    /** @return why the resolver is offline, or null when it may download */
    private String offlineReason() {
        if (offline != null) {
            return offline ? "asked for by the caller" : null;
        }
        String p = setting(properties, OFFLINE_PROPERTY);
        if (p != null) {
            return Boolean.parseBoolean(p) ? OFFLINE_PROPERTY + "=" + p : null;
        }
        String e = setting(environment, OFFLINE_ENV);
        if (e != null && Set.of("1", "true", "yes").contains(e.toLowerCase(Locale.ROOT))) {
            return OFFLINE_ENV + "=" + e;
        }
        return null;
    }

    /**
     * @param name a model name such as {@code ViT-B/16}
     * @return the cache directory name, {@code /} replaced by {@code -}
     * @throws IllegalArgumentException when the name has characters unsafe in a file name
     */
    public static String directoryName(String name, ModelVariant dtype) {
        String dir = directoryName(name);
        return dtype == null || dtype == ModelVariant.DEFAULT ? dir : dir + "-" + dtype.dtype();
    }

    /**
     * @param name a model name such as {@code ViT-B/16}
     * @return the cache directory name, {@code /} replaced by {@code -}
     * @throws IllegalArgumentException when the name has characters unsafe in a file name
     */
    public static String directoryName(String name) {
        String dir = name.trim().replace('/', '-');
        if (!SAFE_NAME.matcher(dir).matches()) {
            throw new IllegalArgumentException("model name '" + name + "' may only use letters, digits and . _ + @ = - /"
                + " and must not start with '.'");
        }
        return dir;
    }

    @SuppressWarnings("try") // the lock is held for the body of the try, not used in it
    private Path download(URI url, Path entry) throws IOException {
        Path cache = entry.getParent();
        String dirName = entry.getFileName().toString();
        Files.createDirectories(cache);
        try (FileLocks.Held lock = FileLocks.acquire(cache.resolve("." + dirName + ".lock"))) {
            if (Files.isDirectory(entry)) {
                return entry; // another thread or process finished it while this one waited
            }
            Downloader http = downloader != null ? downloader : Downloader.builder().build();
            RemoteManifest remote = RemoteManifest.fetch(http, url);
            LOG.info("downloading model {} ({} files) from {} into {}", remote.name(), remote.files().size(), url, entry);
            Path staging = cache.resolve("." + dirName + ".download");
            Files.createDirectories(staging);
            for (RemoteManifest.RemoteFile f : remote.files()) {
                http.download(f.uri(), staging.resolve(f.path()), f.sha256(), f.size(), listener);
            }
            removeUnlisted(staging, remote);
            try {
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, entry);
            }
            return entry;
        }
    }

    @SuppressWarnings("try") // the lock is held for the body of the try, not used in it
    private Path downloadFromHub(ModelCatalog.Entry model, Path entry) throws IOException {
        Path cache = entry.getParent();
        String dirName = entry.getFileName().toString();
        ModelVariant variant = dtype == null ? ModelVariant.DEFAULT : dtype;
        Files.createDirectories(cache);
        try (FileLocks.Held lock = FileLocks.acquire(cache.resolve("." + dirName + ".lock"))) {
            if (Files.isDirectory(entry)) {
                return entry;
            }
            Downloader http = downloader != null ? downloader : Downloader.builder().build();
            HuggingFaceHub hub = new HuggingFaceHub(hubBase(), http);
            if (!model.dtypes().contains(variant)) {
                LOG.warn("dtype {} of {} is not among the catalogue's confirmed dtypes {}; trying the hub anyway", variant.dtype(),
                    model.name(), model.dtypes().stream().map(ModelVariant::dtype).toList());
            }
            List<String> paths = model.files(variant);
            LOG.info("downloading {} ({}, {} files) from {}/{} into {}", model.name(), variant.dtype(), paths.size(),
                hub.base(), model.repository(), entry);
            Path staging = cache.resolve("." + dirName + ".download");
            Files.createDirectories(staging);
            List<DownloadRecord.RecordedFile> recorded = new ArrayList<>();
            String commit = null;
            for (String path : paths) {
                URI uri = hub.fileUri(model.repository(), model.revision(), path);
                HuggingFaceHub.FileMetadata meta = hub.metadata(uri);
                commit = commit != null ? commit : meta.commit();
                String pinned = model.sha256().get(path);
                Path target = staging.resolve(path);
                if (pinned != null && meta.sha256() != null && !pinned.equals(meta.sha256())) {
                    throw new BundleException(target, "the hub reports SHA-256 " + meta.sha256() + " for " + uri
                        + " but the catalogue pins " + pinned + "; the repository changed, so nothing was downloaded");
                }
                String expected = pinned != null ? pinned : meta.sha256();
                try {
                    http.download(uri, target, expected, meta.size(), listener);
                } catch (ChecksumMismatchException e) {
                    deleteTree(staging); // the hub served something else: keep none of it
                    throw e;
                }
                String sha = expected != null ? expected : Sha256.of(target);
                String how = pinned != null ? "pinned" : meta.sha256() != null ? "hub" : "first-download";
                recorded.add(new DownloadRecord.RecordedFile(path, sha, Files.size(target), how,
                    Files.getLastModifiedTime(target).toMillis()));
            }
            removeUnlisted(staging, paths);
            new DownloadRecord(model.name(), hub.base().toString(), model.repository(), model.revision(), commit,
                variant.dtype(), recorded).write(staging);
            try {
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, entry);
            }
            return entry;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** @return the hub's base URL: the builder's, else the property, else the environment, else the public hub */
    public URI hubBase() throws BundleException {
        if (hubUrl != null) {
            return hubUrl;
        }
        String p = setting(properties, HuggingFaceHub.URL_PROPERTY);
        if (p != null) {
            return HuggingFaceHub.parseBase(p, "system property " + HuggingFaceHub.URL_PROPERTY);
        }
        String e = setting(environment, HuggingFaceHub.URL_ENV);
        if (e != null) {
            return HuggingFaceHub.parseBase(e, "environment variable " + HuggingFaceHub.URL_ENV);
        }
        return HuggingFaceHub.DEFAULT_URL;
    }

    /** @return whether this resolver may not download, from the builder, property or environment */
    public boolean isOffline() {
        return offlineReason() != null;
    }

    /** Drops lock files and leftovers of older manifests, so the bundle holds exactly the listed files. */
    private static void removeUnlisted(Path staging, RemoteManifest remote) throws IOException {
        removeUnlisted(staging, remote.files().stream().map(RemoteManifest.RemoteFile::path).toList());
    }

    private static void removeUnlisted(Path staging, List<String> paths) throws IOException {
        Set<Path> keep = new HashSet<>();
        for (String f : paths) {
            keep.add(staging.resolve(f).normalize());
        }
        List<Path> extra;
        try (Stream<Path> files = Files.walk(staging)) {
            extra = files.filter(Files::isRegularFile).filter(p -> !keep.contains(p.normalize())).toList();
        }
        for (Path p : extra) {
            Files.deleteIfExists(p);
        }
    }

    private static String setting(UnaryOperator<String> source, String key) {
        String v = source.apply(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static URI uri(String s) throws BundleException {
        if (s == null) {
            return null;
        }
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new BundleException(null, "remote manifest URL '" + s + "' is malformed: " + e.getMessage(), e);
        }
    }

    /** Builds a {@link ModelResolver}. */
    public static final class Builder {
        private Path modelPath;
        private String modelName;
        private Path cacheDir;
        private URI remoteManifest;
        private Boolean offline;
        private ModelVariant dtype;
        private URI hubUrl;
        private Downloader downloader;
        private DownloadListener listener = DownloadListener.NONE;
        private BundleOptions bundleOptions = BundleOptions.defaults();
        private UnaryOperator<String> properties = System::getProperty;
        private UnaryOperator<String> environment = System::getenv;

        private Builder() {
        }

        /**
         * @param dir the bundle directory; when set, nothing else is tried
         * @return this builder
         */
        public Builder modelPath(Path dir) {
            this.modelPath = dir;
            return this;
        }

        /**
         * @param name the model name for the cache entry and the download, e.g. {@code ViT-B/16}; default from
         *     {@value ModelResolver#NAME_PROPERTY} or {@value ModelResolver#NAME_ENV}
         * @return this builder
         */
        public Builder modelName(String name) {
            this.modelName = name;
            return this;
        }

        /**
         * @param dir the cache directory; default from {@value ModelResolver#CACHE_PROPERTY},
         *     {@value ModelResolver#CACHE_ENV}, else {@code ~/.cache/pointclip}
         * @return this builder
         */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /**
         * @param url address of a {@link RemoteManifest}; default from {@value ModelResolver#URL_PROPERTY} or
         *     {@value ModelResolver#URL_ENV}; none means no download
         * @return this builder
         */
        public Builder remoteManifest(URI url) {
            this.remoteManifest = url;
            return this;
        }

        /**
         * @param offline true to forbid any network access, false to allow it whatever the property and
         *     environment say; default from {@value ModelResolver#OFFLINE_PROPERTY} or {@value ModelResolver#OFFLINE_ENV}
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * @param dtype which transformers.js file variant to download and load ({@code fp32}, {@code fp16}, {@code q8},
         *     ...); default null, which is {@code fp32} for a download and whatever {@link #bundleOptions} say for a
         *     directory; a dtype other than {@code fp32} for a directory that is not in the Hugging Face layout makes
         *     {@link #resolve()} fail
         * @return this builder
         */
        public Builder dtype(ModelVariant dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * @param url the Hugging Face hub's base URL (a mirror, a test server); default from
         *     {@value HuggingFaceHub#URL_PROPERTY}, {@value HuggingFaceHub#URL_ENV}, else {@code https://huggingface.co}
         * @return this builder
         */
        public Builder hubUrl(URI url) {
            this.hubUrl = url;
            return this;
        }

        /**
         * @param downloader the downloader for remote bundles; default {@code Downloader.builder().build()}, made
         *     only when a download is needed (so an offline or cached resolution creates no HTTP client)
         * @return this builder
         */
        public Builder downloader(Downloader downloader) {
            this.downloader = downloader;
            return this;
        }

        /**
         * @param listener receives download progress; default none
         * @return this builder
         */
        public Builder listener(DownloadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param options variant and overrides passed to {@link ModelBundle#detect(Path, BundleOptions)}
         * @return this builder
         */
        public Builder bundleOptions(BundleOptions options) {
            this.bundleOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param lookup where system properties are read; default {@link System#getProperty(String)} (tests and
         *     embedding applications may supply their own)
         * @return this builder
         */
        public Builder systemProperties(UnaryOperator<String> lookup) {
            this.properties = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * @param lookup where environment variables are read; default {@link System#getenv(String)}
         * @return this builder
         */
        public Builder environment(UnaryOperator<String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * @return the resolver
         * @throws IllegalArgumentException when the model name has unsafe characters
         */
        public ModelResolver build() {
            if (modelName != null) {
                directoryName(modelName);
            }
            return new ModelResolver(this);
        }
    }
}
