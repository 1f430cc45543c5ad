package dev.conduit.cli.doctor;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.cuda.CallFailure;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileApiFamily;
import dev.conduit.nativebindings.cufile.CuFileControlFlag;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;
import dev.conduit.nativebindings.cufile.CuFileDriverStatusFlag;
import dev.conduit.nativebindings.cufile.CuFileFeatureFlag;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the cuda and cufile sections render the facts the bindings gather (a GPU host, described as data). */
@Timeout(10)
class GpuProbeReportTest
{
    @Test
    void shouldRenderDevicesAndVersionsOfAWorkingCudaHost()
    {
        final CudaInventory inv = new CudaInventory(
            new CudaInventory.RuntimeFacts(Optional.of("libcudart.so.12"), OptionalInt.of(12040), OptionalInt.of(12080),
                OptionalInt.of(1), Optional.empty()),
            new CudaInventory.DriverFacts(Optional.of("libcuda.so.1"), OptionalInt.of(12080), Optional.empty(),
                List.of(new CudaInventory.DeviceFacts(0, "NVIDIA H100 80GB HBM3", "0000:1b:00.0", "GPU-1234", 9, 0, 85L << 30, true))));

        final ObjectNode cuda = CudaProbe.report(inv);

        assertTrue(cuda.path("available").asBoolean());
        assertTrue(cuda.path("error").isNull());
        assertEquals("12.4", cuda.path("runtime").path("version").asText());
        assertEquals(12080, cuda.path("runtime").path("driver_version_code").asInt());
        assertEquals("12.8", cuda.path("driver").path("version").asText());
        final JsonNode device = cuda.path("devices").get(0);
        assertEquals("0000:1b:00.0", device.path("pci_bus_id").asText());
        assertEquals("9.0", device.path("compute_capability").asText());
        assertTrue(device.path("gpudirect_rdma").asBoolean());
    }

    @Test
    void shouldRenderTheDriverErrorOfAnUnusableCudaHost()
    {
        final CallFailure missing = new CallFailure("dlopen(libcuda.so.1)", 0, "LIBRARY_NOT_FOUND", "not found");
        final CallFailure rt = new CallFailure("cudaGetDeviceCount", 35, "cudaErrorInsufficientDriver", "insufficient");
        final CudaInventory inv = new CudaInventory(
            new CudaInventory.RuntimeFacts(Optional.of("libcudart.so.13"), OptionalInt.of(13000), OptionalInt.of(0),
                OptionalInt.empty(), Optional.of(rt)),
            new CudaInventory.DriverFacts(Optional.empty(), OptionalInt.empty(), Optional.of(missing), List.of()));

        final ObjectNode cuda = CudaProbe.report(inv);

        assertFalse(cuda.path("available").asBoolean());
        assertEquals("cudaErrorInsufficientDriver", cuda.path("error").path("name").asText());
        assertEquals(35, cuda.path("error").path("code").asInt());
        assertEquals("13.0", cuda.path("runtime").path("version").asText());
        assertTrue(cuda.path("runtime").path("device_count").isNull());
        assertTrue(cuda.path("driver").path("library").isNull());
        assertEquals("LIBRARY_NOT_FOUND", cuda.path("driver").path("error").path("name").asText());
    }

    @Test
    void shouldRenderDriverPropertiesNvfsFlagsCompatModeAndApiFamilies()
    {
        final CuFileDriverProperties props = new CuFileDriverProperties(2, 26, 4, 16384,
            EnumSet.of(CuFileDriverStatusFlag.NVME, CuFileDriverStatusFlag.NVMEOF), EnumSet.of(CuFileControlFlag.ALLOW_COMPAT_MODE),
            EnumSet.of(CuFileFeatureFlag.BATCH_IO, CuFileFeatureFlag.STREAMS), 131072, 1024, 33554432, 128, 5000);
        final CuFileInventory inv = new CuFileInventory(Optional.of("libcufile.so.0"), OptionalInt.of(1150),
            EnumSet.of(CuFileApiFamily.DRIVER, CuFileApiFamily.SYNC_IO, CuFileApiFamily.BATCH), true, Optional.of(props),
            Optional.of(true), Optional.empty(), "driver open; nvidia-fs 2.26 serves [NVME, NVMEOF]");

        final ObjectNode cufile = CufileProbe.report(inv);

        assertTrue(cufile.path("available").asBoolean());
        assertEquals("1.15", cufile.path("version").asText());
        assertEquals("[\"driver\",\"sync_io\",\"batch\"]", cufile.path("api_families").toString());
        assertTrue(cufile.path("compat_mode_allowed").asBoolean());
        final JsonNode p = cufile.path("properties");
        assertEquals("2.26", p.path("nvfs_version").asText());
        assertEquals("[\"nvme\",\"nvmeof\"]", p.path("nvfs_status_flags").toString());
        assertEquals("[\"allow_compat_mode\"]", p.path("control_flags").toString());
        assertEquals("[\"batch_io\",\"streams\"]", p.path("feature_flags").toString());
        assertTrue(p.path("nvme_supported").asBoolean());
        assertEquals(33554432, p.path("max_device_pinned_mem_kb").asLong());
    }

    @Test
    void shouldRenderAnUnprobedCuFile()
    {
        final CuFileInventory inv = new CuFileInventory(Optional.of("libcufile.so.0"), OptionalInt.empty(),
            Set.of(), false, Optional.empty(), Optional.empty(), Optional.empty(), "not probed: no usable CUDA device");

        final ObjectNode cufile = CufileProbe.report(inv);

        assertFalse(cufile.path("available").asBoolean());
        assertTrue(cufile.path("present").asBoolean());
        assertTrue(cufile.path("version").isNull());
        assertTrue(cufile.path("properties").isNull());
        assertTrue(cufile.path("compat_mode_allowed").isNull());
        assertEquals("not probed: no usable CUDA device", cufile.path("reason").asText());
    }
}
