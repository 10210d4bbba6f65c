package io.github.pointclip.cli;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.OnnxClipModel;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.DownloadListener;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.bundle.ResolvedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip models}: list, verify and download CLIP model bundles. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List, verify and download CLIP models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Verify.class, ModelsCommand.Download.class})
final class ModelsCommand {

    /** {@code models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the model bundles in the cache.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--cache", paramLabel = "DIR", description = "Cache directory (default: ~/.cache/pointclip, "
            + "-Dpointclip.cache or POINTCLIP_CACHE).")
        Path cache;

        @Override
        public Integer call() throws IOException {
            ModelResolver.Builder b = ModelResolver.builder();
            if (cache != null) {
                b.cacheDir(cache);
            }
            Path root = b.build().cacheRoot();
            PrintWriter out = spec.commandLine().getOut();
            out.println("cache: " + root);
            Path models = root.resolve("models");
            List<Path> dirs = List.of();
            if (Files.isDirectory(models)) {
                try (Stream<Path> s = Files.list(models)) {
                    dirs = s.filter(Files::isDirectory).sorted().toList();
                }
            }
            int found = 0;
            for (Path dir : dirs) {
                try {
                    ModelBundle bundle = ModelBundle.detect(dir);
                    out.printf(Locale.ROOT, "%-24s %-13s %-10s %4d-d  %s%n", dir.getFileName(), bundle.layout(),
                        bundle.manifest().backbone() == null ? "?" : bundle.manifest().backbone(),
                        bundle.manifest().embeddingDim(), human(size(dir)));
                    found++;
                } catch (BundleException e) {
                    out.printf(Locale.ROOT, "%-24s unusable: %s%n", dir.getFileName(), e.getMessage());
                }
            }
            if (found == 0) {
                out.println("no model bundles");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code models verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a model directory: layout, declared SHA-256 checksums, ONNX inputs and outputs.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model directory.")
        Path model;

        @Override
        public Integer call() throws IOException {
            ModelBundle bundle = ModelBundle.detect(model);
            bundle.verify();
            try (OnnxClipModel clip = OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.CPU).build())) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(Locale.ROOT, "%s: OK (%s layout, %s, %d-d features, %d px images, %d declared checksums"
                        + " verified)%n", model, bundle.layout(), clip.backbone() == null ? bundle.manifest().backbone()
                        : clip.backbone(), clip.imageEncoder().embeddingDim(), clip.imageEncoder().imageSize(),
                    bundle.manifest().sha256().size());
                out.flush();
            }
            return 0;
        }
    }

    /** {@code models download}. */
    @Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model into the cache from a remote manifest {name, files: [{path, url, sha256, size}]}, "
            + "checking SHA-256, resuming interrupted transfers.")
    static final class Download implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name, e.g. ViT-B/16.")
        String name;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "Address of the remote manifest.")
        URI url;

        @Option(names = "--cache", paramLabel = "DIR", description = "Cache directory.")
        Path cache;

        @Override
        public Integer call() throws IOException {
            if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
                throw new PointClipCli.BadInputException("--url must be an http(s) address, got " + url);
            }
            try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "download", 0, "MB")) {
                DownloadListener listener = (uri, done, total) -> {
                    bar.total(total > 0 ? total / 1_000_000 : 0);
                    bar.update(done / 1_000_000, uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1));
                };
                ModelResolver.Builder b = ModelResolver.builder().modelName(name).remoteManifest(url).listener(listener);
                if (cache != null) {
                    b.cacheDir(cache);
                }
                ResolvedModel resolved = b.build().resolvePath();
                bar.close();
                spec.commandLine().getOut().println(name + ": " + resolved.directory() + " (" + resolved.source() + ")");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String human(long bytes) {
        return bytes >= 1 << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
            : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
