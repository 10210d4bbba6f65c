package io.github.pointclip.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pointclip.onnx.internal.CauseMessages;
import org.junit.jupiter.api.Test;

/**
 * The cleaning rules on message shapes that the tests with real failures cannot provoke on this
 * machine (Windows builds, template signatures, CUDA). The shapes are those ONNX Runtime prints
 * from ORT_ENFORCE: {@code <source>:<line> <signature> <message>}.
 */
class CauseMessagesTest {

    @Test
    void posixSourceLocationAndTemplateSignatureAreDropped() {
        assertEquals("Non-zero status code returned while running Gather node. Name:'/Gather' Status Message: "
                + "indices element out of data bounds",
            CauseMessages.ort("Error code - ORT_RUNTIME_EXCEPTION - message: Non-zero status code returned while running"
                + " Gather node. Name:'/Gather' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/"
                + "gather.cc:154 onnxruntime::common::Status onnxruntime::GatherCommon(const onnxruntime::Tensor*, "
                + "int64_t) [with T = long int] indices element out of data bounds\n"));
    }

    @Test
    void windowsSourceLocationIsDropped() {
        assertEquals("CUDA failure 100: no CUDA-capable device is detected ; GPU=0",
            CauseMessages.ort("Error code - ORT_EP_FAIL - message: D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\"
                + "cuda\\cuda_call.cc(121) onnxruntime::CudaCall::CudaCall() CUDA failure 100: no CUDA-capable device is"
                + " detected ; GPU=0"));
    }

    @Test
    void loadPrefixRepeatingThePathIsDropped() {
        assertEquals("Protobuf parsing failed.",
            CauseMessages.ort("Error code - ORT_INVALID_PROTOBUF - message: Load model from /m/visual.onnx failed:"
                + "Protobuf parsing failed."));
    }

    @Test
    void lineBreaksBecomeSpaces() {
        assertEquals("a b c", CauseMessages.oneLine("  a\n  b\r\n\tc \n"));
    }
}
