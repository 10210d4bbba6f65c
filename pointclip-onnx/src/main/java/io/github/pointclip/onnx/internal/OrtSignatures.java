package io.github.pointclip.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.ModelSignature;
import io.github.pointclip.onnx.bundle.TensorSpec;
import io.github.pointclip.onnx.bundle.TensorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ModelSignature} from an ONNX Runtime session. Kept out of the exported
 * {@code bundle} package so that no ONNX Runtime type appears in the module's API.
 */
public final class OrtSignatures {

    private OrtSignatures() {
    }

    /**
     * Reads the signature of a loaded model. Inputs or outputs that are not tensors (sequences,
     * maps) are reported with type {@link TensorType#OTHER} and an empty shape.
     *
     * @param session the session; not modified, not closed
     * @param modelFile the file the session was loaded from, for messages; may be null
     * @return the signature, in the model's order
     * @throws BundleException when ONNX Runtime cannot describe the session (its
     *     {@code OrtException} is the cause)
     */
    public static ModelSignature read(OrtSession session, Path modelFile) throws BundleException {
        try {
            return ModelSignature.of(specs(session.getInputInfo()), specs(session.getOutputInfo()));
        } catch (OrtException e) {
            throw new BundleException(modelFile, "cannot read the model's inputs and outputs: " + CauseMessages.of(e), e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>(infos.size());
        for (NodeInfo node : infos.values()) {
            if (node.getInfo() instanceof TensorInfo) {
                TensorInfo t = (TensorInfo) node.getInfo();
                long[] shape = t.getShape().clone();
                for (int i = 0; i < shape.length; i++) {
                    // ONNX Runtime reports symbolic dimensions as -1 (some builds as 0 or below): all dynamic.
                    if (shape[i] < 0) {
                        shape[i] = -1;
                    }
                }
                specs.add(TensorSpec.of(node.getName(), TensorType.fromOnnx(t.onnxType.name()), shape));
            } else {
                specs.add(TensorSpec.of(node.getName(), TensorType.OTHER));
            }
        }
        return specs;
    }

}
