package dev.conduit.cli.doctor;

import java.util.OptionalInt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.nativebindings.cuda.CallFailure;
import dev.conduit.nativebindings.cuda.CudaInventory;

/**
 * The {@code cuda} section: runtime and driver versions, devices, and, when CUDA is unusable, the
 * exact error the library gave ({@code cuda.error}). {@code cuda.available} is true only when the
 * driver initialised and found a device.
 */
final class CudaProbe
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CudaProbe()
    {
    }

    static CudaInventory collect()
    {
        return CudaInventory.collect();
    }

    static ObjectNode report(final CudaInventory inv)
    {
        final ObjectNode cuda = JSON.objectNode();
        cuda.put("available", inv.available());
        cuda.put("reason", inv.reason());
        cuda.set("error", inv.error().map(CudaProbe::failure).orElse(null));

        final CudaInventory.RuntimeFacts rt = inv.runtime();
        final ObjectNode runtime = cuda.putObject("runtime");
        runtime.put("library", rt.library().orElse(null));
        putVersion(runtime, rt.version());
        putInt(runtime, "driver_version_code", rt.driverVersion());
        putInt(runtime, "device_count", rt.deviceCount());
        runtime.set("error", rt.error().map(CudaProbe::failure).orElse(null));

        final CudaInventory.DriverFacts drv = inv.driver();
        final ObjectNode driver = cuda.putObject("driver");
        driver.put("library", drv.library().orElse(null));
        putVersion(driver, drv.version());
        driver.set("error", drv.error().map(CudaProbe::failure).orElse(null));

        final ArrayNode devices = cuda.putArray("devices");
        for (final CudaInventory.DeviceFacts d : drv.devices())
        {
            final ObjectNode device = devices.addObject();
            device.put("ordinal", d.ordinal());
            device.put("name", d.name());
            device.put("pci_bus_id", d.pciBusId());
            device.put("uuid", d.uuid());
            device.put("compute_capability", d.computeMajor() + "." + d.computeMinor());
            device.put("total_memory_bytes", d.totalMemoryBytes());
            device.put("gpudirect_rdma", d.gpuDirectRdma());
        }
        return cuda;
    }

    static ObjectNode failure(final CallFailure f)
    {
        final ObjectNode error = JSON.objectNode();
        error.put("call", f.call());
        error.put("code", f.code());
        error.put("name", f.name());
        error.put("message", f.description());
        return error;
    }

    /** CUDA versions are 1000*major + 10*minor: 13000 is "13.0". */
    static String versionText(final int code)
    {
        return (code / 1000) + "." + ((code % 1000) / 10);
    }

    private static void putVersion(final ObjectNode node, final OptionalInt code)
    {
        node.put("version", code.isPresent() ? versionText(code.getAsInt()) : null);
        putInt(node, "version_code", code);
    }

    private static void putInt(final ObjectNode node, final String key, final OptionalInt value)
    {
        if (value.isPresent())
        {
            node.put(key, value.getAsInt());
        }
        else
        {
            node.putNull(key);
        }
    }
}
