package dev.conduit.nativebindings.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.conduit.nativebindings.testing.LayoutProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Proof 1 for CUDA: every struct, scalar and constant of {@link CudaLayouts} (CUresult names,
 * device attributes, flags) and of {@link CudaRuntimeError} against gcc's view of the installed
 * {@code cuda.h} / {@code cuda_runtime_api.h}. Skipped, with the reason printed, when no CUDA
 * headers are installed.
 */
@Timeout(180)
class CudaLayoutTest
{
    @Test
    void shouldMatchTheDriverApiHeader() throws Exception
    {
        final Path include = cudaInclude("cuda.h");
        final LayoutProbe probe = new LayoutProbe();
        CudaLayouts.structs().forEach(probe::struct);
        CudaLayouts.scalars().forEach(probe::scalar);
        CudaLayouts.constants().forEach(probe::constant);

        final Map<String, Long> c = probe.run(List.of("#include <cuda.h>"), List.of("-I" + include),
            Path.of("target", "layout-probe", "cuda"));

        assertEquals(probe.expected(), c);
    }

    @Test
    void shouldMatchTheRuntimeApiHeader() throws Exception
    {
        final Path include = cudaInclude("cuda_runtime_api.h");
        final LayoutProbe probe = new LayoutProbe();
        CudaRuntimeError.known().forEach((name, value) -> probe.constant(name, value));

        final Map<String, Long> c = probe.run(List.of("#include <cuda_runtime_api.h>"), List.of("-I" + include),
            Path.of("target", "layout-probe", "cudart"));

        assertEquals(probe.expected(), c);
    }

    /**
     * The CUDA include directory: $CUDA_HOME/include, /usr/local/cuda/include, else the newest
     * /usr/local/cuda-X.Y/include; aborts the test (printing why) when none has {@code header}.
     */
    static Path cudaInclude(final String header) throws IOException
    {
        final List<Path> candidates = new ArrayList<>();
        final String home = System.getenv("CUDA_HOME");
        if (home != null && !home.isBlank())
        {
            candidates.add(Path.of(home, "include"));
        }
        candidates.add(Path.of("/usr/local/cuda/include"));
        candidates.addAll(versionedCudaDirs("include"));
        final Optional<Path> found = candidates.stream().filter(d -> Files.isRegularFile(d.resolve(header))).findFirst();
        if (found.isEmpty())
        {
            final String reason = "SKIPPED: no CUDA headers (" + header + ") in " + candidates
                + "; install the CUDA toolkit or set CUDA_HOME to check the CUDA layouts";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return found.get();
    }

    static List<Path> versionedCudaDirs(final String sub) throws IOException
    {
        final Path local = Path.of("/usr/local");
        if (!Files.isDirectory(local))
        {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(local))
        {
            return dirs.filter(d -> d.getFileName().toString().startsWith("cuda-"))
                .sorted(Comparator.comparing((Path d) -> d.getFileName().toString()).reversed())
                .map(d -> d.resolve(sub))
                .toList();
        }
    }
}
