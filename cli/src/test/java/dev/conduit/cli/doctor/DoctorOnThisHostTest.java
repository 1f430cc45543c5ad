package dev.conduit.cli.doctor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.cli.Main;
import dev.conduit.nativebindings.NativeLibraries;
import dev.conduit.nativebindings.cuda.CudaDriverLibrary;
import dev.conduit.nativebindings.cuda.CudaRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conduit doctor --json} on the machine running the tests, with the real libraries (no
 * doubles in this module). On a host without an NVIDIA driver (CI, and the development machines)
 * CUDA must be reported unusable with the runtime's exact error, cuFile unavailable, path host.
 */
@Timeout(120)
class DoctorOnThisHostTest
{
    @Test
    void shouldReportHostPathWithTheDriverErrorWhenThereIsNoNvidiaDriver(@TempDir final Path dir) throws Exception
    {
        Assumptions.assumeTrue(System.getenv(CudaDriverLibrary.OVERRIDE_ENV) == null, "CONDUIT_CUDA_LIB is set");
        Assumptions.assumeTrue(NativeLibraries.probe(List.of(CudaDriverLibrary.SONAME)).isEmpty(),
            "this host has an NVIDIA driver (libcuda.so.1 loads); the no-GPU expectations do not apply");

        final JsonNode report = doctor(dir);

        final JsonNode cuda = report.path("cuda");
        assertFalse(cuda.path("available").asBoolean(true));
        assertTrue(cuda.path("driver").path("library").isNull());
        assertTrue(cuda.path("reason").asText().startsWith("CUDA driver library libcuda.so.1 not found"), cuda.toString());
        final JsonNode cufile = report.path("cufile");
        assertFalse(cufile.path("available").asBoolean(true));
        assertFalse(cufile.path("driver_opened").asBoolean(true));
        assertEquals("host", report.path("path").path("selected").asText());
        assertTrue(report.path("path").path("reason").asText().startsWith("no usable CUDA device: "));

        if (CudaRuntime.load().isPresent())
        {
            // A CUDA toolkit without a driver: the runtime's version and its exact complaint.
            assertTrue(cuda.path("runtime").path("version_code").asInt() >= 11000, cuda.toString());
            assertFalse(cuda.path("runtime").path("version").asText().isEmpty());
            assertEquals("cudaErrorInsufficientDriver", cuda.path("error").path("name").asText());
            assertEquals(35, cuda.path("error").path("code").asInt());
            assertEquals("cudaGetDeviceCount", cuda.path("error").path("call").asText());
        }
        else
        {
            assertEquals("LIBRARY_NOT_FOUND", cuda.path("error").path("name").asText());
        }
    }

    @Test
    void shouldPrintTheSameSectionsAsText(@TempDir final Path dir)
    {
        final StringWriter out = new StringWriter();
        final CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));

        assertEquals(0, cmd.execute("doctor", dir.toString()));

        final String text = out.toString();
        for (final String section : List.of("cuda:", "cufile:", "path:", "  selected: ", "  available: "))
        {
            assertTrue(text.contains(section), section + " missing from\n" + text);
        }
    }

    private static JsonNode doctor(final Path dir) throws Exception
    {
        assertTrue(Files.isDirectory(dir));
        final StringWriter out = new StringWriter();
        final CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("doctor", "--json", dir.toString()));
        return new ObjectMapper().readTree(out.toString());
    }
}
