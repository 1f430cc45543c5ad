package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.spdk.SpdkEnvOptions;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Doctor's SPDK section: the environment it would initialise, and why it cannot where it cannot. */
@Timeout(60)
class SpdkProbeTest
{
    @Test
    void shouldReportTheEnvironmentAndWhyItCannotInitialise()
    {
        final ObjectNode spdk = SpdkProbe.report();
        assertEquals(SpdkEnvOptions.fabricsDefaults().toString(), spdk.at("/fabrics/environment").asText());
        assertEquals(SpdkEnvOptions.pcieDefaults().toString(), spdk.at("/pcie/environment").asText());
        if (SpdkLibrary.load().isEmpty())
        {
            assertFalse(spdk.path("present").asBoolean());
            assertTrue(spdk.path("library").isNull());
            assertFalse(spdk.at("/fabrics/can_initialise").asBoolean());
            assertTrue(spdk.at("/fabrics/why_not").asText().startsWith("SPDK is not installed"), spdk.toString());
            assertFalse(spdk.at("/pcie/can_initialise").asBoolean());
        }
        else
        {
            assertTrue(spdk.path("present").asBoolean());
            assertTrue(spdk.at("/fabrics/can_initialise").asBoolean(), spdk.toString());
            assertTrue(spdk.at("/fabrics/why_not").isNull());
            assertEquals(spdk.at("/pcie/can_initialise").asBoolean(), spdk.at("/pcie/why_not").isNull());
        }
    }
}
