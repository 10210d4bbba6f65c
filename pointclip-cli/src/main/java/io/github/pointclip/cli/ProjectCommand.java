package io.github.pointclip.cli;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.projection.RealisticProjector;
import io.github.pointclip.projection.SparsePerspectiveProjector;
import io.github.pointclip.projection.spi.DepthMaps;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.report.ContactSheet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip project}: renders the depth maps of a point cloud to .npy (and a PNG contact sheet). */
@Command(name = "project", mixinStandardHelpOptions = true,
    description = {"Project a point cloud into depth maps and write them as a float32 .npy of shape [V,H,W].",
        "Input formats: .xyz .txt .csv .pts .npy .ply .pcd, meshes .off .obj .stl (sampled by area)."})
final class ProjectCommand implements Callable<Integer> {

    /** Projectors the command offers. */
    enum ProjectorChoice {
        v1, v1_fewshot, v2;

        static ProjectorChoice parse(String s) {
            return valueOf(s.replace('-', '_'));
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--projector", defaultValue = "v2", paramLabel = "v1|v1-fewshot|v2",
        converter = ProjectorConverter.class,
        description = "v1: PointCLIP zero-shot (6 views, 128x128); v1-fewshot: 10 views, 224x224; "
            + "v2: PointCLIP V2 realistic projection (10 views, 110x110) (default: ${DEFAULT-VALUE}).")
    ProjectorChoice projector;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The point cloud or mesh.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.npy", description = "Where to write the maps.")
    Path output;

    @Option(names = "--size", paramLabel = "S",
        description = "Resize every map to SxS (bilinear, align_corners=True), as before the CLIP encoder.")
    Integer size;

    @Option(names = "--points", defaultValue = "" + PipelineOptions.DEFAULT_POINTS, paramLabel = "N",
        description = "Points per cloud: the first N of a point file, N sampled on a mesh's surface; "
            + "0 = all points (a mesh: its vertices) (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of mesh sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--drop-non-finite", description = "Drop points with NaN or infinite coordinates instead of failing.")
    boolean dropNonFinite;

    @Option(names = "--png", paramLabel = "SHEET.png", description = "Also write a grey-scale contact sheet of the views.")
    Path png;

    @Option(names = "--kernel", paramLabel = "NAME",
        description = "V2 smoothing kernel: ${COMPLETION-CANDIDATES} (default: the reference gaussian, size 3, sigma 3).")
    PipelineOptions.KernelChoice kernel;

    @Option(names = "--kernel-size", paramLabel = "K", description = "V2 kernel size, odd (default: 3).")
    Integer kernelSize;

    @Option(names = "--sigma", paramLabel = "S", description = "V2 kernel scale in pixels (default: 3).")
    Double sigma;

    @Override
    public Integer call() throws Exception {
        if (size != null && (size < 1 || size > 4096)) {
            throw new PointClipCli.BadInputException("--size must be between 1 and 4096, got " + size);
        }
        if (points < 0) {
            throw new PointClipCli.BadInputException("--points must be ≥ 0 (0 = all points), got " + points);
        }
        if (!output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new PointClipCli.BadInputException("--output " + output + ": the maps are written as a NumPy array; "
                + "give a file name ending in .npy (--png writes a picture)");
        }
        boolean kernelOptions = kernel != null || kernelSize != null || sigma != null;
        if (kernelOptions && projector != ProjectorChoice.v2) {
            throw new PointClipCli.BadInputException("--kernel, --kernel-size and --sigma shape the V2 projection; the '"
                + projector.name().replace('_', '-') + "' projector does not smooth (use --projector v2)");
        }
        Projector chosen = projector(kernelOptions);
        PointCloud cloud = CloudFiles.read(input, ReadOptions.builder().dropNonFinite(dropNonFinite).samplePoints(points)
            .seed(seed).build());
        if (points > 0 && cloud.size() > points) {
            cloud = cloud.first(points);
        }
        DepthMaps maps = chosen.project(cloud);
        if (size != null) {
            maps = maps.resize(size);
        }
        NpyArray.write(output, maps.toArray(), maps.viewCount(), maps.height(), maps.width());
        if (png != null) {
            ContactSheet.write(maps, png);
        }
        spec.commandLine().getOut().printf("%s: %d points -> %d views of %dx%d -> %s%s%n", input, cloud.size(),
            maps.viewCount(), maps.height(), maps.width(), output, png == null ? "" : " and " + png);
        return 0;
    }

    private Projector projector(boolean kernelOptions) {
        switch (projector) {
            case v1:
                return SparsePerspectiveProjector.pointClipV1();
            case v1_fewshot:
                return SparsePerspectiveProjector.pointClipV1FewShot();
            default:
                RealisticProjector.Builder b = RealisticProjector.builder();
                if (kernelOptions) {
                    b.kernel(PipelineOptions.kernel(kernel, kernelSize == null ? 3 : kernelSize, sigma == null ? 3.0 : sigma));
                }
                return b.build();
        }
    }

    /** Accepts {@code v1-fewshot} as well as {@code v1_fewshot}. */
    static final class ProjectorConverter implements picocli.CommandLine.ITypeConverter<ProjectorChoice> {
        @Override
        public ProjectorChoice convert(String value) {
            try {
                return ProjectorChoice.parse(value.toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                    "unknown projector '" + value + "'; expected v1, v1-fewshot or v2");
            }
        }
    }
}
