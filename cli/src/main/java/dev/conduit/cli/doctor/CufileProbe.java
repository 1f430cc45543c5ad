package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.bench.CuFileJson;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileApiFamily;
import dev.conduit.nativebindings.cufile.CuFileInventory;

/**
 * The {@code cufile} section: library, version, the API families it exports, and, when the driver
 * opened, its properties (nvidia-fs status flags, compat mode, limits). cuFile is never called
 * without a CUDA device, nor opened without {@code /run/udev}; {@code cufile.reason} says which.
 */
final class CufileProbe
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CufileProbe()
    {
    }

    static CuFileInventory collect(final CudaInventory cuda)
    {
        return CuFileInventory.collect(cuda);
    }

    static ObjectNode report(final CuFileInventory inv)
    {
        final ObjectNode cufile = JSON.objectNode();
        cufile.put("available", inv.available());
        cufile.put("reason", inv.reason());
        cufile.put("library", inv.library().orElse(null));
        cufile.put("present", inv.library().isPresent());
        cufile.put("version", inv.version().isPresent() ? versionText(inv.version().getAsInt()) : null);
        if (inv.version().isPresent())
        {
            cufile.put("version_code", inv.version().getAsInt());
        }
        else
        {
            cufile.putNull("version_code");
        }
        final ArrayNode families = cufile.putArray("api_families");
        for (final CuFileApiFamily f : inv.families())
        {
            families.add(f.label());
        }
        cufile.put("driver_opened", inv.driverOpened());
        cufile.put("compat_mode_allowed", inv.compatModeAllowed().orElse(null));
        cufile.set("error", inv.error().map(CudaProbe::failure).orElse(null));
        cufile.set("properties", inv.properties().map(CuFileJson::properties).orElse(null));
        return cufile;
    }

    /** cuFile versions are 1000*major + 10*minor: 1150 is "1.15". */
    static String versionText(final int code)
    {
        return (code / 1000) + "." + ((code % 1000) / 10);
    }
}
