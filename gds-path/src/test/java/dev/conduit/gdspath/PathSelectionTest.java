package dev.conduit.gdspath;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import dev.conduit.nativebindings.cuda.CallFailure;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The choice on typed probe results: a GPU host, a GPU host without GDS, and a host without a driver, described as data. */
@Timeout(10)
class PathSelectionTest
{
    private static final CudaInventory ONE_GPU = new CudaInventory(
        new CudaInventory.RuntimeFacts(Optional.of("libcudart.so.12"), OptionalInt.of(12040), OptionalInt.of(12080),
            OptionalInt.of(1), Optional.empty()),
        new CudaInventory.DriverFacts(Optional.of("libcuda.so.1"), OptionalInt.of(12080), Optional.empty(),
            List.of(new CudaInventory.DeviceFacts(0, "NVIDIA H100", "0000:1b:00.0", "GPU-1", 9, 0, 80L << 30, true))));
    private static final CudaInventory NO_DRIVER = new CudaInventory(
        new CudaInventory.RuntimeFacts(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty()),
        new CudaInventory.DriverFacts(Optional.empty(), OptionalInt.empty(),
            Optional.of(new CallFailure("dlopen(libcuda.so.1)", 0, "LIBRARY_NOT_FOUND", "not found")), List.of()));

    @Test
    void shouldSelectGdsWhenCudaAndTheCuFileDriverWork()
    {
        final PathChoice choice = PathSelection.select(ONE_GPU, cufile(true, "driver open"));

        assertEquals(PathKind.GDS, choice.path());
        assertEquals("gds", choice.path().label());
        assertEquals("libcufile driver open and a CUDA device is present: driver open", choice.reason());
    }

    @Test
    void shouldSelectBounceWhenOnlyCudaWorks()
    {
        final PathChoice choice = PathSelection.select(ONE_GPU, cufile(false, "libcufile.so.0 not found"));

        assertEquals(PathKind.BOUNCE, choice.path());
        assertEquals("CUDA works but GPUDirect Storage does not: libcufile.so.0 not found", choice.reason());
    }

    @Test
    void shouldSelectHostWithoutCudaEvenIfCuFileClaimsToWork()
    {
        final PathChoice choice = PathSelection.select(NO_DRIVER, cufile(true, "driver open"));

        assertEquals(PathKind.HOST, choice.path());
        assertEquals("no usable CUDA device: " + NO_DRIVER.reason(), choice.reason());
        assertEquals("no usable CUDA device: CUDA driver library libcuda.so.1 not found (no NVIDIA driver installed)",
            choice.reason());
    }

    @Test
    void shouldSelectHostWhenTheDriverLoadsButReportsNoDevices()
    {
        final CudaInventory noDevices = new CudaInventory(ONE_GPU.runtime(),
            new CudaInventory.DriverFacts(Optional.of("libcuda.so.1"), OptionalInt.of(12080), Optional.empty(), List.of()));

        final PathChoice choice = PathSelection.select(noDevices, cufile(false, "not probed"));

        assertEquals(PathKind.HOST, choice.path());
        assertEquals("no usable CUDA device: the CUDA driver reports no devices", choice.reason());
    }

    private static CuFileInventory cufile(final boolean driverOpened, final String reason)
    {
        return new CuFileInventory(Optional.of("libcufile.so.0"), OptionalInt.empty(), Set.of(), driverOpened,
            Optional.empty(), Optional.empty(), Optional.empty(), reason);
    }
}
