package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.NativeLibraries;

/** libcufile (GPUDirect Storage): whether it is present. The driver is never opened without a CUDA device. */
final class CufileProbe
{
    private CufileProbe()
    {
    }

    static ObjectNode report(final ObjectNode cuda)
    {
        final ObjectNode cufile = JsonNodeFactory.instance.objectNode();
        final String lib = NativeLibraries.probe(NativeLibraries.candidates("CONDUIT_CUFILE_LIB", "libcufile.so.0"))
            .orElse(null);
        cufile.put("library", lib);
        cufile.put("present", lib != null);
        cufile.put("available", false);
        cufile.put("reason", lib == null ? "libcufile.so.0 not found" : "not opened: " + cuda.path("reason").asText());
        return cufile;
    }
}
