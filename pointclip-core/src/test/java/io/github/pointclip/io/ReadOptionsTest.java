package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {

    @Test
    void defaults() {
        ReadOptions d = ReadOptions.defaults();
        assertFalse(d.dropNonFinite());
        assertEquals(1024, d.samplePoints());
        assertEquals(ReadOptions.DEFAULT_MESH_POINTS, d.samplePoints());
        assertEquals(0, d.seed());
        assertEquals(Optional.empty(), d.format());
        assertEquals(ReadOptions.DEFAULT_MAX_POINTS, d.maxPoints());
        assertTrue(d.keepAttributes());
        assertEquals(d, ReadOptions.builder().build());
    }

    @Test
    void toBuilderRoundTripsAndEqualityCoversEveryField() {
        ReadOptions o = ReadOptions.builder().dropNonFinite(true).samplePoints(10).seed(3)
            .format(PointCloudFormat.PLY).maxPoints(20).keepAttributes(false).build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(o.hashCode(), o.toBuilder().build().hashCode());
        assertNotEquals(o, o.toBuilder().dropNonFinite(false).build());
        assertNotEquals(o, o.toBuilder().samplePoints(11).build());
        assertNotEquals(o, o.toBuilder().seed(4).build());
        assertNotEquals(o, o.toBuilder().format(null).build());
        assertNotEquals(o, o.toBuilder().maxPoints(21).build());
        assertNotEquals(o, o.toBuilder().keepAttributes(true).build());
        assertTrue(o.toString().contains("samplePoints=10"));
    }

    @Test
    void buildValidates() {
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().samplePoints(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxPoints(0).build());
        assertThrows(IllegalArgumentException.class,
            () -> ReadOptions.builder().maxPoints(ReadOptions.MAX_POINTS_LIMIT + 1).build());
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().maxPoints(5).samplePoints(6).build());
        // the default mesh sample is not a choice to reject, in a copy neither
        ReadOptions small = ReadOptions.builder().maxPoints(100).build();
        assertEquals(ReadOptions.DEFAULT_MESH_POINTS, small.samplePoints());
        assertEquals(small, small.toBuilder().build());
        assertEquals(50, small.toBuilder().maxPoints(50).build().maxPoints());
        assertThrows(IllegalArgumentException.class, () -> small.toBuilder().samplePoints(101).build());
    }

    @Test
    void formatFromExtensionIsCaseInsensitive() {
        assertEquals(Optional.of(PointCloudFormat.XYZ), PointCloudFormat.fromPath(Path.of("a/b.CSV")));
        assertEquals(Optional.of(PointCloudFormat.XYZ), PointCloudFormat.fromPath(Path.of("scan.Pts")));
        assertEquals(Optional.of(PointCloudFormat.PLY), PointCloudFormat.fromPath(Path.of("x.tar.ply")));
        assertEquals(Optional.of(PointCloudFormat.STL), PointCloudFormat.fromPath(Path.of("m.StL")));
        assertEquals(Optional.empty(), PointCloudFormat.fromPath(Path.of("noextension")));
        assertEquals(Optional.empty(), PointCloudFormat.fromPath(Path.of("x.ply.gz")));
        assertTrue(PointCloudFormat.OFF.mayHaveFaces());
        assertFalse(PointCloudFormat.NPY.mayHaveFaces());
    }

    @Test
    void readerReportsTheFormatItWouldUse() throws PointCloudFormatException {
        assertEquals(PointCloudFormat.OBJ, PointCloudReader.withDefaults().formatOf(Path.of("m.OBJ")));
        PointCloudReader forced = PointCloudReader.of(ReadOptions.builder().format(PointCloudFormat.PCD).build());
        assertEquals(PointCloudFormat.PCD, forced.formatOf(Path.of("m.obj")));
        assertThrows(PointCloudFormatException.class, () -> PointCloudReader.withDefaults().formatOf(Path.of("m")));
    }
}
