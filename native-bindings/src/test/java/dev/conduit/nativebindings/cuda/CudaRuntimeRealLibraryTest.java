package dev.conduit.nativebindings.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.NativeLibraries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof 3: the bindings against the real libcudart, where one is installed (found by soname, then
 * CUDA_HOME, /usr/local/cuda, /usr/local/cuda-X.Y; the test-double override is deliberately not
 * used). A C program linked against the same library says what the device count returns; Java must
 * report exactly that. On a host with the toolkit but no NVIDIA driver that is
 * {@code cudaErrorInsufficientDriver} (35).
 */
@Timeout(120)
class CudaRuntimeRealLibraryTest
{
    @Test
    void shouldReportTheRealRuntimeVersionAndTheExactDeviceCountError() throws Exception
    {
        final CudaRuntime runtime = realRuntime();
        System.out.println("real CUDA runtime: " + runtime.libraryName() + " = " + mappedPath(runtime.libraryName()));

        final int version = runtime.runtimeVersion();
        assertTrue(version >= 11000, "runtime version " + version);
        final int driverVersion = runtime.driverVersion();

        final Optional<String[]> c = cProbe(runtime.libraryName());
        if (c.isPresent())
        {
            assertEquals(Integer.parseInt(c.get()[0]), version, "cudaRuntimeGetVersion as C sees it");
            assertEquals(Integer.parseInt(c.get()[1]), driverVersion, "cudaDriverGetVersion as C sees it");
        }
        final boolean driverInstalled = NativeLibraries.probe(List.of(CudaDriverLibrary.SONAME)).isPresent();
        if (driverInstalled)
        {
            System.out.println("an NVIDIA driver is installed; checking only that Java and C agree");
        }
        else
        {
            assertEquals(0, driverVersion, "no driver: the runtime sees driver version 0");
            final CudaException e = assertThrows(CudaException.class, runtime::deviceCount);
            assertEquals("cudaErrorInsufficientDriver", e.nativeName());
            assertEquals(35, e.nativeCode());
            assertTrue(e.getMessage().startsWith("cudaGetDeviceCount failed: cudaErrorInsufficientDriver (35)"), e.getMessage());
            c.ifPresent(values -> assertEquals("35 cudaErrorInsufficientDriver", values[2] + " " + values[3]));
        }
        if (c.isPresent() && !"0".equals(c.get()[2]))
        {
            final CudaException e = assertThrows(CudaException.class, runtime::deviceCount);
            assertEquals(Integer.parseInt(c.get()[2]), e.nativeCode());
            assertEquals(c.get()[3], e.nativeName());
        }
    }

    private static CudaRuntime realRuntime() throws IOException
    {
        final List<String> candidates = new ArrayList<>(NativeLibraries.candidates(null, CudaRuntime.SONAMES.toArray(String[]::new)));
        for (final Path lib : CudaLayoutTest.versionedCudaDirs("lib64"))
        {
            for (final String soname : CudaRuntime.SONAMES)
            {
                if (Files.exists(lib.resolve(soname)))
                {
                    candidates.add(lib.resolve(soname).toString());
                }
            }
        }
        final Optional<CudaRuntime> runtime = CudaRuntime.load(candidates);
        if (runtime.isEmpty())
        {
            final String reason = "SKIPPED: no real libcudart found (tried " + candidates + ")";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return runtime.get();
    }

    /** Runtime version, driver version, device-count result and its name, as a C program linked to {@code library} prints them. */
    private static Optional<String[]> cProbe(final String library) throws IOException, InterruptedException
    {
        final Path include;
        try
        {
            include = CudaLayoutTest.cudaInclude("cuda_runtime_api.h");
        }
        catch (final org.opentest4j.TestAbortedException noHeaders)
        {
            return Optional.empty();
        }
        final Path dir = Path.of("target", "cudart-probe").toAbsolutePath();
        Files.createDirectories(dir);
        final Path source = dir.resolve("cudart_probe.c");
        Files.writeString(source, """
            #include <stdio.h>
            #include <cuda_runtime_api.h>
            int main(void)
            {
                int v = 0, d = 0, n = 0;
                cudaRuntimeGetVersion(&v);
                cudaDriverGetVersion(&d);
                cudaError_t e = cudaGetDeviceCount(&n);
                printf("%d %d %d %s\\n", v, d, (int)e, cudaGetErrorName(e));
                return 0;
            }
            """, StandardCharsets.UTF_8);
        final Path binary = dir.resolve("cudart_probe");
        final Path libraryPath = mappedPath(library);
        run(List.of("gcc", "-I" + include, "-o", binary.toString(), source.toString(), libraryPath.toString(),
            "-Wl,-rpath," + libraryPath.getParent()));
        return Optional.of(run(List.of(binary.toString())).trim().split(" "));
    }

    /** The file the JVM actually mapped for {@code library} (a soname resolves through the system loader). */
    private static Path mappedPath(final String library) throws IOException
    {
        final String file = Path.of(library).getFileName().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .map(line -> line.substring(line.lastIndexOf(' ') + 1))
            .filter(path -> path.startsWith("/") && Path.of(path).getFileName().toString().startsWith(file))
            .map(Path::of)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(library + " is not mapped into this process"));
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command.getFirst() + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
