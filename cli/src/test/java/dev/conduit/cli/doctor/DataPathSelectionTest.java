package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class DataPathSelectionTest
{
    @Test
    void shouldSelectGdsWhenCudaAndTheCuFileDriverWork()
    {
        final ObjectNode path = DataPathSelection.select(section(true, "1 CUDA device(s): H100"), section(true, "driver open"));

        assertEquals("gds", path.path("selected").asText());
        assertEquals("libcufile driver open and a CUDA device is present: driver open", path.path("reason").asText());
    }

    @Test
    void shouldSelectBounceWhenOnlyCudaWorks()
    {
        final ObjectNode path = DataPathSelection.select(section(true, "1 CUDA device(s)"), section(false, "libcufile.so.0 not found"));

        assertEquals("bounce", path.path("selected").asText());
        assertEquals("CUDA works but GPUDirect Storage does not: libcufile.so.0 not found", path.path("reason").asText());
    }

    @Test
    void shouldSelectHostWithoutCudaEvenIfCuFileClaimsToWork()
    {
        final ObjectNode path = DataPathSelection.select(section(false, "no driver"), section(true, "driver open"));

        assertEquals("host", path.path("selected").asText());
        assertEquals("no usable CUDA device: no driver", path.path("reason").asText());
    }

    private static ObjectNode section(final boolean available, final String reason)
    {
        final ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("available", available);
        node.put("reason", reason);
        return node;
    }
}
