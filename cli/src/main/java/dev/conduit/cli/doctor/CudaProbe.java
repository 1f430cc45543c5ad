package dev.conduit.cli.doctor;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.NativeLibraries;

/** CUDA driver and runtime: which libraries load. */
final class CudaProbe
{
    private CudaProbe()
    {
    }

    static ObjectNode report()
    {
        final ObjectNode cuda = JsonNodeFactory.instance.objectNode();
        final List<String> driver = NativeLibraries.candidates("CONDUIT_CUDA_LIB", "libcuda.so.1");
        final List<String> runtime = NativeLibraries.candidates(null, "libcudart.so.13", "libcudart.so.12", "libcudart.so");
        final String driverLib = NativeLibraries.probe(driver).orElse(null);
        final String runtimeLib = NativeLibraries.probe(runtime).orElse(null);
        cuda.put("driver_library", driverLib);
        cuda.put("runtime_library", runtimeLib);
        cuda.put("available", false);
        cuda.put("reason", driverLib == null
            ? "CUDA driver library libcuda.so.1 not found (no NVIDIA driver installed)"
            : "driver library present but not probed");
        return cuda;
    }
}
