package io.github.pointclip.cli;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.OnnxClipModel;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.BundleOptions;
import io.github.pointclip.onnx.bundle.DownloadRecord;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelCatalog;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.bundle.ModelSource;
import io.github.pointclip.onnx.bundle.ModelVariant;
import io.github.pointclip.onnx.bundle.ResolvedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pointclip models}: show the catalogue and the cache, verify and download CLIP model bundles. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List, verify and download CLIP models.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Verify.class, ModelsCommand.Download.class,
        ModelsCommand.Clean.class})
final class ModelsCommand {

    /** {@code models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "Show the model catalogue and what is in the cache (incomplete downloads are not models: "
            + "they are resumed by the next download of the same model).")
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
            List<Path> staging = List.of();
            if (Files.isDirectory(models)) {
                try (Stream<Path> s = Files.list(models)) {
                    List<Path> all = s.filter(Files::isDirectory).sorted().toList();
                    dirs = all.stream().filter(p -> !isStaging(p)).toList();
                    staging = all.stream().filter(ModelsCommand::isStaging).toList();
                }
            }
            out.println();
            out.println("catalogue (Hugging Face, transformers.js layout; download with `pointclip models download NAME"
                + " [--dtype D]`, or use --backbone NAME):");
            out.printf(Locale.ROOT, "  %-10s %-6s %-30s %s%n", "MODEL", "DTYPE", "REPOSITORY", "CACHED");
            for (ModelCatalog.Entry e : ModelCatalog.entries()) {
                for (ModelVariant v : e.dtypes()) {
                    String dirName = e.directoryName(v);
                    Path dir = models.resolve(dirName);
                    out.printf(Locale.ROOT, "  %-10s %-6s %-30s %s%n", e.name(), v.dtype(), e.repository(),
                        Files.isDirectory(dir) ? "yes, " + human(size(dir)) : "no");
                }
            }
            out.println();
            out.println("in the cache:");
            int found = 0;
            for (Path dir : dirs) {
                try {
                    Optional<DownloadRecord> record = DownloadRecord.read(dir);
                    ModelBundle bundle = ModelBundle.detect(dir, BundleOptions.builder().variant(record
                        .map(r -> ModelVariant.fromDtype(r.dtype())).orElse(ModelVariant.DEFAULT)).build());
                    out.printf(Locale.ROOT, "  %-24s %-13s %-10s %4d-d  %-9s %s%n", dir.getFileName(), bundle.layout(),
                        bundle.manifest().backbone() == null ? "?" : bundle.manifest().backbone(),
                        bundle.manifest().embeddingDim(), human(size(dir)),
                        record.map(r -> r.repository() + " " + r.dtype() + (r.commit() == null ? ""
                            : " @" + r.commit().substring(0, Math.min(12, r.commit().length())))).orElse(""));
                    found++;
                } catch (BundleException | IllegalArgumentException e) {
                    out.printf(Locale.ROOT, "  %-24s unusable: %s%n", dir.getFileName(), e.getMessage());
                }
            }
            if (found == 0) {
                out.println("  no model bundles");
            }
            if (!staging.isEmpty()) {
                out.printf(Locale.ROOT, "%d incomplete download%s (%s), resumed by the next download of the same model"
                        + " (`pointclip models clean` removes stale ones)%n",
                    staging.size(), staging.size() == 1 ? "" : "s", human(staging.stream().mapToLong(ModelsCommand::sizeOrZero).sum()));
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

        @Option(names = "--dtype", paramLabel = "fp32|fp16|q8|...",
            description = "File variant to check (default: the one a catalogue download recorded, else fp32).")
        String dtype;

        @Override
        public Integer call() throws IOException {
            Optional<DownloadRecord> record = DownloadRecord.read(model);
            ModelVariant variant = dtype != null ? ModelVariant.fromDtype(dtype)
                : record.map(r -> ModelVariant.fromDtype(r.dtype())).orElse(ModelVariant.DEFAULT);
            if (record.isPresent()) {
                record.get().check(model);
            }
            ModelBundle bundle = ModelBundle.detect(model, BundleOptions.builder().variant(variant).build());
            bundle.verify();
            try (OnnxClipModel clip = OnnxClipModel.open(bundle, ModelRequest.builder().device(Device.CPU).build())) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(Locale.ROOT, "%s: OK (%s layout, %s, %s, %d-d features, %d px images, %d declared checksums"
                        + " verified%s)%n", model, bundle.layout(), clip.backbone() == null ? bundle.manifest().backbone()
                        : clip.backbone(), variant.dtype(), clip.imageEncoder().embeddingDim(), clip.imageEncoder().imageSize(),
                    bundle.manifest().sha256().size(), record.map(r -> ", " + r.files().size()
                        + " downloaded files checked against their recorded SHA-256").orElse(""));
                out.flush();
            }
            return 0;
        }
    }

    /** {@code models download}. */
    @Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a model into the cache, verifying every file's SHA-256 and resuming interrupted "
            + "transfers: a catalogue model (ViT-B/32, ViT-B/16) from the Hugging Face hub (POINTCLIP_HUB_URL or "
            + "-Dpointclip.hub.url for a mirror), or any model from a remote manifest "
            + "{name, files: [{path, url, sha256, size}]} with --url.",
            "Examples: pointclip models download ViT-B/16;  pointclip models download VIT_B32 --dtype fp16"})
    static final class Download implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "Catalogue model, e.g. ViT-B/16 or VIT_B16 (or the name to store a --url download under).")
        String model;

        @Option(names = "--dtype", paramLabel = "fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4",
            description = "File variant, named as transformers.js names them (default: fp32).")
        String dtype;

        @Option(names = "--name", paramLabel = "NAME", description = "Model name for a --url download, e.g. ViT-B/16.")
        String name;

        @Option(names = "--url", paramLabel = "URL", description = "Address of a remote manifest (instead of the catalogue).")
        URI url;

        @Option(names = "--cache", paramLabel = "DIR", description = "Cache directory.")
        Path cache;

        @Override
        public Integer call() throws IOException {
            if (model != null && name != null && !model.equals(name)) {
                throw new PointClipCli.BadInputException("give the model name once, as MODEL or --name, not both");
            }
            String chosen = model != null ? model : name;
            if (chosen == null) {
                throw new PointClipCli.BadInputException("name a model to download: one of " + ModelCatalog.names()
                    + ", or --name NAME --url MANIFEST_URL");
            }
            if (url != null && (url.getScheme() == null || !url.getScheme().startsWith("http"))) {
                throw new PointClipCli.BadInputException("--url must be an http(s) address, got " + url);
            }
            if (url == null && ModelCatalog.find(chosen).isEmpty()) {
                throw new PointClipCli.BadInputException("'" + chosen + "' is not in the model catalogue (" + ModelCatalog.names()
                    + "); give a remote manifest with --url, or pass an exported model directory with --model (docs/models.md)");
            }
            ModelVariant variant = dtype == null ? null : ModelVariant.fromDtype(dtype);
            try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "download", 0, "MB")) {
                ModelResolver.Builder b = ModelResolver.builder().modelName(chosen).dtype(variant)
                    .listener(ModelOptions.progress(bar));
                if (url != null) {
                    b.remoteManifest(url);
                }
                if (cache != null) {
                    b.cacheDir(cache);
                }
                ResolvedModel resolved = b.build().resolvePath();
                bar.close();
                String label = ModelCatalog.find(chosen).map(ModelCatalog.Entry::name).orElse(chosen)
                    + (variant == null ? "" : " (" + variant.dtype() + ")");
                spec.commandLine().getOut().println(label + ": " + resolved.directory() + " ("
                    + (resolved.source() == ModelSource.CACHE ? "already in the cache" : "downloaded and verified") + ")");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /** {@code models clean}. */
    @Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Delete incomplete downloads (staging folders in <cache>/models) that nothing has written to for a "
            + "while; a download in progress keeps writing and is left alone. Models are never touched.")
    static final class Clean implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--cache", paramLabel = "DIR", description = "Cache directory.")
        Path cache;

        @Option(names = "--older-than", defaultValue = "24", paramLabel = "HOURS",
            description = "Only folders whose newest file is older than this (default: ${DEFAULT-VALUE} hours; 0 for all).")
        double hours;

        @Override
        public Integer call() throws IOException {
            if (!(hours >= 0)) {
                throw new PointClipCli.BadInputException("--older-than must be >= 0 hours, got " + hours);
            }
            ModelResolver.Builder b = ModelResolver.builder();
            if (cache != null) {
                b.cacheDir(cache);
            }
            Path models = b.build().cacheRoot().resolve("models");
            PrintWriter out = spec.commandLine().getOut();
            long cutoff = System.currentTimeMillis() - (long) (hours * 3_600_000L);
            int removed = 0;
            long freed = 0;
            if (Files.isDirectory(models)) {
                List<Path> staging;
                try (Stream<Path> s = Files.list(models)) {
                    staging = s.filter(Files::isDirectory).filter(ModelsCommand::isStaging).sorted().toList();
                }
                for (Path dir : staging) {
                    if (newestModification(dir) > cutoff) {
                        out.println("kept " + dir.getFileName() + " (written to recently; a download may be running)");
                        continue;
                    }
                    long bytes = sizeOrZero(dir);
                    deleteTree(dir);
                    out.println("removed " + dir.getFileName() + " (" + human(bytes) + ")");
                    removed++;
                    freed += bytes;
                }
            }
            out.println(removed == 0 ? "no stale incomplete downloads" : "removed " + removed + " incomplete download"
                + (removed == 1 ? "" : "s") + ", " + human(freed) + " freed");
            out.flush();
            return 0;
        }
    }

    private static long newestModification(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            long newest = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
            }
            return newest;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** A staging folder of a download that has not finished: {@code .<name>.download}. */
    static boolean isStaging(Path dir) {
        String n = dir.getFileName().toString();
        return n.startsWith(".");
    }

    private static long sizeOrZero(Path dir) {
        try {
            return size(dir);
        } catch (IOException e) {
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
