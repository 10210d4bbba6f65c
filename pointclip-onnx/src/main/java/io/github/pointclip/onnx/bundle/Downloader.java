package io.github.pointclip.onnx.bundle;

import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a file over HTTP(S) so that the target either does not exist or is complete and
 * verified:
 * <ul>
 *   <li>bytes go to {@code <target>.part}; when it exists from an interrupted attempt, the request
 *       asks for the rest with a {@code Range} header (a 206 answer is appended, a 200 answer
 *       restarts the file);</li>
 *   <li>the size and SHA-256 are checked, then the part file is renamed onto the target atomically;
 *       a wrong checksum deletes the part file and fails with {@link ChecksumMismatchException};</li>
 *   <li>transfers that stop early or stall, and 5xx/408/429 answers, are retried with exponential
 *       backoff, keeping the bytes received; other HTTP errors fail at once with the URL and status;</li>
 *   <li>concurrent downloads of one target, from threads or from other JVMs, take an exclusive lock
 *       on {@code <target>.lock}; the later ones wait, then find the finished file.</li>
 * </ul>
 * Thread-safe; one instance may serve many downloads. Built with {@link #builder()}.
 */
public final class Downloader {

    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient client;
    private final Duration connectTimeout;
    private volatile HttpClient metadataClient;
    private final Duration requestTimeout;
    private final Duration readTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private Downloader(Builder b) {
        this.client = b.client != null ? b.client : HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.readTimeout = b.readTimeout;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
    }

    /** @return a builder with the defaults documented on its setters */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the HTTP client this downloader uses */
    HttpClient client() {
        return client;
    }

    /** @return an HTTP client that does not follow redirects, for metadata requests; made when first needed */
    HttpClient metadataClient() {
        HttpClient c = metadataClient;
        if (c == null) {
            synchronized (this) {
                if (metadataClient == null) {
                    metadataClient = HttpClient.newBuilder().connectTimeout(connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
                }
                c = metadataClient;
            }
        }
        return c;
    }

    /** @return attempts after the first for transient failures */
    int maxRetries() {
        return maxRetries;
    }

    /**
     * @param retry the 1-based number of the retry
     * @return how long to wait before it: the initial backoff, doubled per retry, at most the maximum
     */
    long backoffMillis(int retry) {
        long wait = initialBackoff.toMillis();
        for (int i = 1; i < retry && wait < maxBackoff.toMillis(); i++) {
            wait = Math.max(1, wait * 2);
        }
        return Math.min(wait, maxBackoff.toMillis());
    }

    /** @return the request timeout */
    Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * As {@link #download(URI, Path, String, long, DownloadListener)} without a listener.
     *
     * @param uri the address
     * @param target the final file
     * @param sha256 the expected SHA-256, hex; null to skip the check
     * @param size the expected size in bytes; −1 when unknown
     * @return {@code target}
     * @throws IOException as documented there
     */
    public Path download(URI uri, Path target, String sha256, long size) throws IOException {
        return download(uri, target, sha256, size, DownloadListener.NONE);
    }

    /**
     * Downloads {@code uri} to {@code target}, unless {@code target} already exists with the
     * expected size and digest. An existing target that does not match is downloaded again.
     *
     * @param uri the address
     * @param target the final file; its directory is created
     * @param sha256 the expected SHA-256, hex; null to skip the check
     * @param size the expected size in bytes; −1 when unknown
     * @param listener receives progress and retries
     * @return {@code target}
     * @throws ChecksumMismatchException when the downloaded content has another digest (the part file is deleted)
     * @throws DownloadException for an HTTP error, a size mismatch, or a transfer that still failed after the
     *     retries (the part file is kept so that a later call resumes)
     * @throws IOException when the files cannot be written or the wait for the lock is interrupted
     */
    @SuppressWarnings("try") // the lock is held for the body of the try, not used in it
    public Path download(URI uri, Path target, String sha256, long size, DownloadListener listener)
            throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        Path file = target.toAbsolutePath().normalize();
        String expected = sha256 == null ? null : Sha256.normalise(sha256);
        Files.createDirectories(file.getParent());
        if (Files.isRegularFile(file) && matches(file, expected, size)) {
            return file;
        }
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(file.getFileName() + ".lock"))) {
            // Someone may have finished while this thread waited for the lock.
            if (Files.isRegularFile(file)) {
                if (matches(file, expected, size)) {
                    LOG.debug("{} was downloaded by another thread or process", file);
                    return file;
                }
                LOG.warn("{} does not have the expected size or SHA-256; downloading it again", file);
                Files.delete(file);
            }
            fetchWithRetries(uri, file, expected, size, listener);
            return file;
        }
    }

    private static boolean matches(Path file, String expected, long size) throws IOException {
        if (size >= 0 && Files.size(file) != size) {
            return false;
        }
        return expected == null || expected.equals(Sha256.of(file));
    }

    private void fetchWithRetries(URI uri, Path target, String expected, long size, DownloadListener listener)
            throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                fetchOnce(uri, part, size, listener);
                finish(uri, part, target, expected, size);
                return;
            } catch (RetryableException e) {
                if (attempt > maxRetries) {
                    throw e.failure;
                }
                LOG.info("download of {} failed (attempt {} of {}): {}; retrying in {} ms", uri, attempt,
                    maxRetries + 1, e.failure.getMessage(), backoff);
                listener.onRetry(uri, attempt, e.failure);
                sleep(backoff);
                backoff = Math.min(Math.max(1, backoff * 2), maxBackoff.toMillis());
            }
        }
    }

    static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a download");
        }
    }

    /** Signals an attempt that may succeed when repeated; carries the failure to report if it does not. */
    private static final class RetryableException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient DownloadException failure;

        RetryableException(DownloadException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** One request; on return the part file holds everything the server sent. */
    private void fetchOnce(URI uri, Path part, long size, DownloadListener listener)
            throws IOException, RetryableException {
        long existing = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (size >= 0 && existing > size) {
            LOG.debug("{} is longer than the expected {} bytes; starting over", part, size);
            Files.delete(part);
            existing = 0;
        }
        if (size >= 0 && existing == size) {
            return; // complete from an earlier attempt that failed only at the check or the rename
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        if (existing > 0) {
            request.header("Range", "bytes=" + existing + "-");
            LOG.info("resuming {} at byte {}", uri, existing);
        }
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            PartWriter writer = new PartWriter(uri, channel, existing, size, listener);
            CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request.build(), writer::handle);
            HttpResponse<Void> response = await(uri, future, writer);
            int status = response.statusCode();
            if (writer.restartFromScratch) {
                channel.truncate(0);
                throw new RetryableException(new DownloadException(uri, status,
                    "server did not resume at byte " + existing + " (Content-Range: "
                        + response.headers().firstValue("Content-Range").orElse("none") + "); restarting", null));
            }
            if (status != 200 && status != 206) {
                DownloadException error = new DownloadException(uri, status, "server error", null);
                if (status == 408 || status == 429 || status >= 500) {
                    throw new RetryableException(error);
                }
                throw error;
            }
            channel.force(true);
            long have = channel.size();
            if (writer.total >= 0 && have < writer.total) {
                throw new RetryableException(new DownloadException(uri, -1,
                    "transfer ended after " + have + " of " + writer.total + " bytes", null));
            }
        }
    }

    private HttpResponse<Void> await(URI uri, CompletableFuture<HttpResponse<Void>> future, PartWriter writer)
            throws IOException, RetryableException {
        long timeoutNanos = readTimeout.toNanos();
        try {
            while (true) {
                try {
                    return future.get(Math.max(1, timeoutNanos / 4), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // Before the headers, the request timeout of the HTTP client applies.
                    if (writer.headersSeen && System.nanoTime() - writer.lastActivity > timeoutNanos) {
                        writer.cancel();
                        future.cancel(true);
                        throw new RetryableException(new NetworkException(uri, "no data received for "
                            + readTimeout.toMillis() + " ms after " + writer.written + " bytes from " + uri, null));
                    }
                }
            }
        } catch (InterruptedException e) {
            writer.cancel();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LocalWriteException) {
                throw (IOException) cause.getCause();
            }
            if (!writer.headersSeen) {
                throw new RetryableException(NetworkException.of(uri, cause));
            }
            String reason = "connection lost after " + writer.written + " bytes"
                + (writer.total >= 0 ? " of " + writer.total : "") + " from " + uri + ": " + cause;
            throw new RetryableException(new NetworkException(uri, reason, cause));
        }
    }

    /** A failure writing the part file: not a network problem, so it is not retried. */
    private static final class LocalWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        LocalWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void finish(URI uri, Path part, Path target, String expected, long size)
            throws IOException, RetryableException {
        long have = Files.size(part);
        if (size >= 0 && have != size) {
            if (have < size) {
                throw new RetryableException(new DownloadException(uri, -1,
                    "transfer ended after " + have + " of " + size + " bytes", null));
            }
            Files.delete(part);
            throw new DownloadException(uri, -1, "expected " + size + " bytes, received " + have, null);
        }
        if (expected != null) {
            String actual = Sha256.of(part);
            if (!actual.equals(expected)) {
                Files.delete(part);
                throw new ChecksumMismatchException(target, expected, actual);
            }
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        LOG.info("downloaded {} to {} ({} bytes)", uri, target, have);
    }

    /**
     * Receives the response: decides from the status and headers where the body goes, then writes
     * it to the part file at the right offset. Runs on the HTTP client's threads.
     */
    private static final class PartWriter {
        private final URI uri;
        private final FileChannel channel;
        private final long existing;
        private final long declaredSize;
        private final DownloadListener listener;

        volatile boolean headersSeen;
        volatile long lastActivity = System.nanoTime();
        volatile long written;
        volatile long total = -1;
        volatile boolean restartFromScratch;
        private volatile Flow.Subscription subscription;

        PartWriter(URI uri, FileChannel channel, long existing, long declaredSize, DownloadListener listener) {
            this.uri = uri;
            this.channel = channel;
            this.existing = existing;
            this.declaredSize = declaredSize;
            this.listener = listener;
        }

        HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
            headersSeen = true;
            lastActivity = System.nanoTime();
            int status = info.statusCode();
            long start;
            if (status == 200) {
                start = 0; // the whole file, whether or not a range was asked for
                total = info.headers().firstValueAsLong("Content-Length").orElse(declaredSize);
            } else if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(info.headers().firstValue("Content-Range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != existing) {
                    restartFromScratch = true;
                    return HttpResponse.BodySubscribers.replacing(null);
                }
                start = existing;
                total = "*".equals(m.group(3)) ? declaredSize : Long.parseLong(m.group(3));
            } else if (status == 416) {
                restartFromScratch = true; // the part file does not fit the remote file any more
                return HttpResponse.BodySubscribers.replacing(null);
            } else {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            written = start;
            return new Subscriber(start);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        private final class Subscriber implements HttpResponse.BodySubscriber<Void> {
            private final CompletableFuture<Void> done = new CompletableFuture<>();
            private long position;

            Subscriber(long start) {
                this.position = start;
            }

            @Override
            public CompletionStage<Void> getBody() {
                return done;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                try {
                    if (position == 0) {
                        channel.truncate(0);
                    }
                } catch (IOException e) {
                    s.cancel();
                    done.completeExceptionally(new LocalWriteException(e));
                    return;
                }
                s.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                try {
                    for (ByteBuffer b : buffers) {
                        while (b.hasRemaining()) {
                            position += channel.write(b, position);
                        }
                    }
                } catch (IOException e) {
                    subscription.cancel();
                    done.completeExceptionally(new LocalWriteException(e));
                    return;
                }
                written = position;
                lastActivity = System.nanoTime();
                listener.onProgress(uri, position, total);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        }
    }

    /** Builds a {@link Downloader}. */
    public static final class Builder {
        private HttpClient client;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * @param client the HTTP client to use (then {@link #connectTimeout} is the client's own); default a
         *     new HTTP/1.1 client that follows redirects
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.client = client;
            return this;
        }

        /**
         * @param timeout time to open a connection; default 30 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param timeout time from sending a request to receiving the response headers; default 60 s
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * @param timeout longest silence while receiving the body before the attempt is abandoned; default 60 s
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * @param maxRetries attempts after the first for transient failures; default 3
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, found " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * @param initial wait before the first retry, doubled for each further one; default 1 s
         * @param max longest wait; default 30 s
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 <= initial <= max, found " + initial + ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, found " + d);
            }
            return d;
        }

        /** @return the downloader */
        public Downloader build() {
            return new Downloader(this);
        }
    }
}
