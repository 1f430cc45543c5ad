package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Chooses the data path a loader would use on this host: {@code gds} when libcufile opened its
 * driver and a CUDA device exists, {@code bounce} when CUDA works without GDS, {@code host}
 * otherwise, always with the reason (taken from the {@code cuda} and {@code cufile} sections).
 */
final class DataPathSelection
{
    private DataPathSelection()
    {
    }

    static ObjectNode select(final ObjectNode cuda, final ObjectNode cufile)
    {
        final ObjectNode path = JsonNodeFactory.instance.objectNode();
        final boolean cudaOk = cuda.path("available").asBoolean(false);
        final boolean gdsOk = cudaOk && cufile.path("available").asBoolean(false);
        if (gdsOk)
        {
            path.put("selected", "gds");
            path.put("reason", "libcufile driver open and a CUDA device is present: " + cufile.path("reason").asText());
        }
        else if (cudaOk)
        {
            path.put("selected", "bounce");
            path.put("reason", "CUDA works but GPUDirect Storage does not: " + cufile.path("reason").asText());
        }
        else
        {
            path.put("selected", "host");
            path.put("reason", "no usable CUDA device: " + cuda.path("reason").asText());
        }
        return path;
    }
}
