package io.github.pointclip.adapter.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tensors of a checkpoint are those of the reference module's state dict, so a checkpoint loads into it
 * with {@code load_state_dict(..., strict=False)} (strict but for the integer {@code num_batches_tracked}).
 */
class ReferenceStateDictTest {

    /**
     * {@code Adapter(cfg).state_dict()} of ZrrSkywalker/PointCLIP {@code trainers/fewshot.py}, written out from
     * its source, for V = {@code cfg.MODEL.PROJECT.NUM_VIEWS} and C = {@code cfg.MODEL.BACKBONE.CHANNEL}:
     * <pre>
     * self.fusion_ratio = nn.Parameter(torch.tensor([self.fusion_init] * self.num_views))     # [V]
     * self.global_f = nn.Sequential(
     *         BatchNormPoint(self.in_features),      # 0: its nn.BatchNorm1d(C) is the attribute "bn"
     *         nn.Dropout(self.dropout),              # 1
     *         nn.Flatten(),                          # 2
     *         nn.Linear(C * V, C),                   # 3
     *         nn.BatchNorm1d(C),                     # 4
     *         nn.ReLU(),                             # 5
     *         nn.Dropout(self.dropout))              # 6
     * self.view_f = nn.Sequential(
     *         nn.Linear(C, C),                       # 0
     *         nn.ReLU(),                             # 1
     *         nn.Linear(C, C * V),                   # 2
     *         nn.ReLU())                             # 3
     * </pre>
     * PyTorch names a Linear's tensors {@code weight [out, in]} and {@code bias [out]}, a BatchNorm1d's
     * {@code weight, bias, running_mean, running_var [C]} and {@code num_batches_tracked []} (int64).
     */
    static Map<String, int[]> referenceStateDict(int v, int c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("fusion_ratio", new int[] {v});
        m.put("global_f.0.bn.weight", new int[] {c});
        m.put("global_f.0.bn.bias", new int[] {c});
        m.put("global_f.0.bn.running_mean", new int[] {c});
        m.put("global_f.0.bn.running_var", new int[] {c});
        m.put("global_f.0.bn.num_batches_tracked", new int[] {});
        m.put("global_f.3.weight", new int[] {c, c * v});
        m.put("global_f.3.bias", new int[] {c});
        m.put("global_f.4.weight", new int[] {c});
        m.put("global_f.4.bias", new int[] {c});
        m.put("global_f.4.running_mean", new int[] {c});
        m.put("global_f.4.running_var", new int[] {c});
        m.put("global_f.4.num_batches_tracked", new int[] {});
        m.put("view_f.0.weight", new int[] {c, c});
        m.put("view_f.0.bias", new int[] {c});
        m.put("view_f.2.weight", new int[] {c * v, c});
        m.put("view_f.2.bias", new int[] {c * v});
        return m;
    }

    private static void assertMatchesReference(Map<String, StateTensor> stored, int v, int c) {
        Map<String, int[]> reference = referenceStateDict(v, c);
        for (Map.Entry<String, StateTensor> e : stored.entrySet()) {
            int[] expected = reference.get(e.getKey());
            assertTrue(expected != null, "'" + e.getKey() + "' is not in the reference state dict");
            assertArrayEquals(expected, e.getValue().shape(), e.getKey());
        }
        TreeSet<String> notStored = new TreeSet<>(reference.keySet());
        notStored.removeAll(stored.keySet());
        assertEquals(new TreeSet<>(List.of("global_f.0.bn.num_batches_tracked", "global_f.4.num_batches_tracked")),
                notStored, "only the integer batch counters, which inference does not use, are left out");
    }

    @Test
    void theReferenceConfigurationsStateDictMatches() {
        // configs/trainers/PointCLIP_FS/vit_b16.yaml: NUM_VIEWS 10, CHANNEL 512
        assertMatchesReference(InterViewAdapter.builder(10, 512).seed(0).build().stateDict(), 10, 512);
    }

    @Test
    void aSavedCheckpointHoldsExactlyTheReferenceNamesAndShapes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.safetensors");
        AdapterCheckpoint.builder(InterViewAdapter.builder(3, 8).seed(1).build()).classNames(List.of("a", "b"))
                .build().save(file);
        assertMatchesReference(SafeTensors.read(file).tensors(), 3, 8);
        assertMatchesReference(AdapterCheckpoint.load(file).state(), 3, 8);
    }

    @Test
    void checkpointsWithTheEarlierFirstBatchNormNamesAreRead(@TempDir Path dir) throws IOException {
        InterViewAdapter a = InterViewAdapter.builder(3, 8).seed(4).build();
        AdapterNetworks.parameters(a).get("global_f.0.bn.weight").set(2, 1.5);
        AdapterCheckpoint cp = AdapterCheckpoint.builder(a).classNames(List.of("a", "b")).build();
        Map<String, StateTensor> old = new LinkedHashMap<>();
        cp.state().forEach((name, t) -> old.put(name.replace("global_f.0.bn.", "global_f.0."), t));
        assertTrue(old.containsKey("global_f.0.weight") && !old.containsKey("global_f.0.bn.weight"));
        Path file = dir.resolve("old.safetensors");
        SafeTensors.write(file, old, cp.metadata());
        AdapterCheckpoint loaded = AdapterCheckpoint.load(file);
        assertEquals(a.stateDict(), loaded.state());
        assertEquals(1.5f, loaded.state().get("global_f.0.bn.weight").data()[2]);
        assertTrue(Arrays.equals(a.stateDict().get("global_f.0.bn.running_var").data(),
                loaded.toAdapter().stateDict().get("global_f.0.bn.running_var").data()));
        assertMatchesReference(loaded.state(), 3, 8);
    }
}
