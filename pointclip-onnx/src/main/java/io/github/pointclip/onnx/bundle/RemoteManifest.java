package io.github.pointclip.onnx.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pointclip.internal.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The list of files to download for a bundle, published as JSON beside them:
 * <pre>{@code
 * {
 *   "name": "ViT-B-16",
 *   "files": [
 *     { "path": "pointclip-model.json", "sha256": "…", "size": 1234 },
 *     { "path": "visual.onnx", "url": "https://cdn.example.org/clip/visual.onnx", "sha256": "…", "size": 350000000 }
 *   ]
 * }
 * }</pre>
 * {@code path} is where the file goes inside the bundle directory (relative, no {@code ..});
 * {@code url} defaults to {@code path} and is resolved against the manifest's own address;
 * {@code sha256} is required; {@code size} is optional. Immutable.
 *
 * @param name the bundle's name
 * @param files the files, in download order
 */
public record RemoteManifest(String name, List<RemoteFile> files) {

    /** Largest remote manifest accepted, so that a wrong URL cannot fill the memory. */
    static final int MAX_BYTES = 1 << 20;

    /**
     * One file of a remote bundle.
     *
     * @param path the path inside the bundle directory
     * @param uri the absolute address
     * @param sha256 the digest, lower-case hex
     * @param size the size in bytes, or −1 when not given
     */
    public record RemoteFile(String path, URI uri, String sha256, long size) {
    }

    /** Copies the list. */
    public RemoteManifest {
        files = List.copyOf(files);
    }

    /**
     * Parses a remote manifest.
     *
     * @param in the JSON document
     * @param source the manifest's address: the base for relative URLs and the name in messages
     * @return the manifest
     * @throws BundleException naming the field when the document is malformed
     */
    public static RemoteManifest parse(InputStream in, URI source) throws BundleException {
        StrictJson json = new StrictJson("remote manifest " + source);
        return parse(json, in, source);
    }

    private static RemoteManifest parse(StrictJson json, InputStream in, URI source) throws BundleException {
        JsonNode root = json.object(json.parse(in), "", "name", "files");
        String name = json.string(root, "", "name");
        JsonNode files = json.array(root, "", "files");
        if (files.isEmpty()) {
            throw json.error("files", "a bundle needs at least one file");
        }
        List<RemoteFile> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            String at = "files[" + i + "]";
            JsonNode f = json.object(files.get(i), at, "path", "url", "sha256", "size");
            String path = json.relativePath(f, at, "path");
            if (!seen.add(path)) {
                throw json.error(at + ".path", "'" + path + "' is listed twice");
            }
            URI uri;
            try {
                uri = source.resolve(StrictJson.present(f, "url") ? json.string(f, at, "url") : path);
            } catch (IllegalArgumentException e) {
                throw json.error(at + ".url", "not a valid URL: " + e.getMessage());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw json.error(at + ".url", "only http and https URLs can be downloaded, found " + uri);
            }
            String sha;
            try {
                sha = Sha256.normalise(json.string(f, at, "sha256"));
            } catch (IllegalArgumentException e) {
                throw json.error(at + ".sha256", e.getMessage());
            }
            long size = -1;
            if (StrictJson.present(f, "size")) {
                size = json.integer(f.get("size"), at + ".size");
                if (size < 0) {
                    throw json.error(at + ".size", "must not be negative, found " + size);
                }
            }
            list.add(new RemoteFile(path, uri, sha, size));
        }
        return new RemoteManifest(name, list);
    }

    /**
     * Fetches and parses a remote manifest (one attempt; it is small).
     *
     * @param downloader supplies the HTTP client and timeouts
     * @param uri the manifest's address
     * @return the manifest
     * @throws DownloadException on an HTTP error or a document larger than 1 MiB
     * @throws BundleException when the document is malformed
     * @throws IOException when the connection fails
     */
    static RemoteManifest fetch(Downloader downloader, URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(downloader.requestTimeout()).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = downloader.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while fetching " + uri);
        } catch (IOException e) {
            throw NetworkException.of(uri, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new DownloadException(uri, response.statusCode(), "cannot fetch the remote manifest", null);
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new DownloadException(uri, -1, "remote manifest is larger than " + MAX_BYTES + " bytes", null);
            }
            return parse(new ByteArrayInputStream(bytes), uri);
        }
    }
}
