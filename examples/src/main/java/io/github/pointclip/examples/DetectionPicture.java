package io.github.pointclip.examples;

import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.BoxFiles;
import io.github.pointclip.detection.BoxOverlap;
import io.github.pointclip.detection.ClusterProposer;
import io.github.pointclip.detection.Detection;
import io.github.pointclip.detection.LabelledBox;
import io.github.pointclip.detection.ScanNetScenes;
import io.github.pointclip.detection.SyntheticRoom;
import io.github.pointclip.detection.TopView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the synthetic room of docs/detection.md and writes it in the ScanNet detection layout
 * ({@code scene0000_00_vert.npy}, {@code _bbox.npy}), the cluster proposer's boxes
 * ({@code scene0000_00_proposals.json}) and the picture {@code detection-proposals.png} (ground truth
 * dashed, proposals solid with their best IoU), so that {@code eval --task detection} and the docs
 * picture can be reproduced without ScanNet:
 *
 * <pre>{@code
 * java -cp examples/target/benchmarks.jar io.github.pointclip.examples.DetectionPicture \
 *     ../shared/data/modelnet40-mini out/   # then: eval --task detection --dataset scannet --data out \
 *                                           #         --proposals out --model DIR
 * }</pre>
 */
public final class DetectionPicture {

    private DetectionPicture() {
    }

    /**
     * @param args the ModelNet40 directory (modelnet40_ply_hdf5_2048 layout), the output directory, and
     *     optionally the seed (default 7)
     * @throws IOException if reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DetectionPicture MODELNET40_DIR OUT_DIR [SEED]");
            System.exit(2);
        }
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        Path out = Path.of(args[1]);
        // the first six test shapes that stand for a ScanNet class, as the tests pick them
        List<SyntheticRoom.Shape> shapes = SyntheticRoom.shapes(Datasets.modelNet40(Path.of(args[0]), Split.TEST), 0, 6);
        SyntheticRoom.Scene room = SyntheticRoom.build(shapes, seed);
        ScanNetScenes.write(out, "scene0000_00", room.points(), room.boxes());
        List<Box> proposals = ClusterProposer.builder().seed(seed).build().propose(room.points());
        BoxFiles.write(proposals, out.resolve("scene0000_00_proposals.json"));
        List<Detection> drawn = new ArrayList<>();
        for (Box p : proposals) {
            double best = 0;
            for (LabelledBox t : room.boxes()) {
                best = Math.max(best, BoxOverlap.iou(t.box(), p));
            }
            drawn.add(Detection.of(p, "IoU", best));
        }
        TopView.write(room.points(), room.boxes(), drawn, 700, out.resolve("detection-proposals.png"));
        for (LabelledBox t : room.boxes()) {
            double best = 0;
            for (Box p : proposals) {
                best = Math.max(best, BoxOverlap.iou(t.box(), p));
            }
            System.out.println(String.format(Locale.ROOT, "%-10s height %.2f m  best proposal IoU %.3f", t.label(),
                t.box().sizeZ(), best));
        }
        System.out.println(proposals.size() + " proposals; written to " + out.toAbsolutePath());
    }
}
