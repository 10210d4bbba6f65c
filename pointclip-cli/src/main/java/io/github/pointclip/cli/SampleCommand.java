package io.github.pointclip.cli;

import io.github.pointclip.cli.SampleShapes;
import io.github.pointclip.internal.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pointclip sample}: writes a procedurally built sample mesh. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write a procedurally built sample shape as an OBJ mesh (to try the other commands on).")
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "SHAPE", description = "The shape: chair.")
    String shape;

    @Option(names = "--output", required = true, paramLabel = "FILE.obj", description = "Where to write the mesh.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!shape.equals("chair")) {
            throw new PointClipCli.BadInputException("unknown sample shape '" + shape + "'; available: chair");
        }
        if (!output.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".obj")) {
            // the readers pick the format by extension: a chair.txt would later be read as an XYZ file and fail
            throw new PointClipCli.BadInputException("--output " + output + ": the mesh is written as Wavefront OBJ; "
                + "give a file name ending in .obj");
        }
        byte[] obj = SampleShapes.chairObj().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(output, out -> out.write(obj));
        spec.commandLine().getOut().println("wrote " + output);
        return 0;
    }
}
