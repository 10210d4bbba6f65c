package io.github.pointclip.onnx.bundle;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses and metadata of files on a Hugging Face hub (or a mirror that answers the same way). A file is
 * at {@code {base}/{repository}/resolve/{revision}/{path}}. A {@code HEAD} request without following
 * redirects tells, for a file stored with Git LFS (the ONNX models), its SHA-256 in {@code X-Linked-Etag} and
 * its size in {@code X-Linked-Size} (the answer itself is a redirect to a CDN); for a small file kept in git,
 * the {@code ETag} is the git blob id (SHA-1 based, not a SHA-256) and {@code Content-Length} is the size.
 * Redirects within the same host (a renamed repository) are followed for the metadata; the download itself
 * follows every redirect. Timeouts and 408/429/5xx answers to the metadata request are retried with the
 * downloader's backoff; a refused connection, an unknown host and other HTTP errors fail at once. Immutable and
 * thread-safe.
 */
public final class HuggingFaceHub {

    /** The public hub. */
    public static final URI DEFAULT_URL = URI.create("https://huggingface.co");
    /** System property with the hub's base URL (mirrors, tests). */
    public static final String URL_PROPERTY = "pointclip.hub.url";
    /** Environment variable with the hub's base URL. */
    public static final String URL_ENV = "POINTCLIP_HUB_URL";

    private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceHub.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REDIRECTS = 5;

    private final URI base;
    private final Downloader downloader;

    /**
     * @param base the hub's base URL, e.g. {@code https://huggingface.co}; a trailing slash is ignored
     * @param downloader supplies the HTTP clients and timeouts
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    public HuggingFaceHub(URI base, Downloader downloader) {
        String s = Objects.requireNonNull(base, "base").toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        this.base = URI.create(s);
        if (!"http".equals(this.base.getScheme()) && !"https".equals(this.base.getScheme())) {
            throw new IllegalArgumentException("hub URL must be http or https, found " + base);
        }
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /**
     * @param text a base URL as given in a property or environment variable
     * @param where where it was given, for the message
     * @return the URL
     * @throws BundleException when it is malformed
     */
    static URI parseBase(String text, String where) throws BundleException {
        try {
            URI u = new URI(text.trim());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new BundleException(null, where + " must be an http or https URL, found '" + text + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new BundleException(null, where + " '" + text + "' is malformed: " + e.getMessage(), e);
        }
    }

    /** @return the base URL, without a trailing slash */
    public URI base() {
        return base;
    }

    /**
     * @param repository e.g. {@code Xenova/clip-vit-base-patch16}
     * @param revision a branch, tag or commit
     * @param path the file's path in the repository
     * @return the file's address
     */
    public URI fileUri(String repository, String revision, String path) {
        return URI.create(base + "/" + repository + "/resolve/" + URLEncoder.encode(revision, StandardCharsets.UTF_8)
            + "/" + path);
    }

    /**
     * What the hub says about a file.
     *
     * @param uri the address asked
     * @param sha256 the SHA-256 the hub reports ({@code X-Linked-Etag} of an LFS file), or null when it reports none
     * @param size the size in bytes ({@code X-Linked-Size}, else {@code Content-Length}), or −1
     * @param etag the raw {@code ETag}, or null
     * @param commit the commit the revision resolved to ({@code X-Repo-Commit}), or null
     */
    public record FileMetadata(URI uri, String sha256, long size, String etag, String commit) {
    }

    /**
     * Asks the hub about a file with {@code HEAD}, not following redirects to other hosts.
     *
     * @param uri the file's address
     * @return the metadata
     * @throws NetworkException when the hub cannot be reached
     * @throws DownloadException when the hub answers with an error (404: the file or repository does not exist)
     * @throws IOException when interrupted
     */
    public FileMetadata metadata(URI uri) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return metadataOnce(uri);
            } catch (DownloadException e) {
                boolean transientFailure = e instanceof NetworkException
                    ? e.getCause() instanceof java.net.http.HttpTimeoutException
                    : e.status() == 408 || e.status() == 429 || e.status() >= 500;
                if (!transientFailure || attempt > downloader.maxRetries()) {
                    throw e;
                }
                long wait = downloader.backoffMillis(attempt);
                LOG.info("asking the hub about {} failed (attempt {} of {}): {}; retrying in {} ms", uri, attempt,
                    downloader.maxRetries() + 1, e.getMessage(), wait);
                Downloader.sleep(wait);
            }
        }
    }

    private FileMetadata metadataOnce(URI uri) throws IOException {
        URI at = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest request = HttpRequest.newBuilder(at).timeout(downloader.requestTimeout())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept-Encoding", "identity").build();
            HttpResponse<Void> response;
            try {
                response = downloader.metadataClient().send(request, HttpResponse.BodyHandlers.discarding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while asking " + at);
            } catch (IOException e) {
                throw NetworkException.of(at, e);
            }
            int status = response.statusCode();
            Optional<String> linked = response.headers().firstValue("X-Linked-Etag");
            if (status >= 300 && status < 400 && linked.isEmpty() && hop < MAX_REDIRECTS) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isPresent()) {
                    URI next = at.resolve(location.get());
                    if (Objects.equals(next.getHost(), at.getHost()) && next.getPort() == at.getPort()) {
                        at = next; // a renamed repository: same site, follow it
                        continue;
                    }
                }
            }
            if (status >= 400) {
                String why = status == 404 ? "not found on the hub (is the repository, revision or dtype right?)"
                    : status == 401 || status == 403 ? "access denied by the hub" : "the hub answered with an error";
                throw new DownloadException(uri, status, why, null);
            }
            String etag = response.headers().firstValue("ETag").orElse(null);
            long size = firstLong(response, "X-Linked-Size");
            if (size < 0 && status == 200) {
                size = firstLong(response, "Content-Length");
            }
            String sha = linked.map(HuggingFaceHub::unquote).filter(v -> SHA256.matcher(v).matches()).orElse(null);
            return new FileMetadata(uri, sha, size, etag, response.headers().firstValue("X-Repo-Commit").orElse(null));
        }
    }

    private static long firstLong(HttpResponse<?> response, String header) {
        try {
            return response.headers().firstValueAsLong(header).orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Strips a weak-validator prefix and quotes from an ETag, lower-cases it. */
    static String unquote(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "HuggingFaceHub[" + base + "]";
    }
}
