package io.github.pointclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.pointclip.PointClip;
import io.github.pointclip.eval.EvalFakes.FakeModel;
import io.github.pointclip.eval.EvalFakes.ToyDataset;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceVersionTest {

    @Test
    void reportsRecordTheProjectVersion(@TempDir Path text) throws IOException {
        String expected = System.getProperty("pointclip.expected.version");
        assertNotNull(expected, "pointclip.expected.version is not set: run this test through Maven");
        try (PointClip clip = EvalFakes.clip(new FakeModel(), text, 6)) {
            EvaluationResult r = Evaluator.builder().clip(clip).dataset(new ToyDataset(4, 7)).build().evaluate();
            assertEquals(expected, r.provenance().libraryVersion());
        }
    }
}
